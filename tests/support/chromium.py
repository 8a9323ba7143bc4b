"""How the tests and benchmarks start Debian's Chromium: no sandbox (root in CI), no network chatter
(this machine's closed network refuses Google's hosts), a fresh profile every launch."""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
