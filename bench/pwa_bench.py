"""The field app on a poor network: shell bytes, time to a usable form on 2G, bytes per synced record.

    python bench/pwa_bench.py                 # 3 runs of each timing
    python bench/pwa_bench.py --runs 5

A live server (werkzeug, threaded, fresh migrated SQLite with the units loaded) and Debian's Chromium.
- Shell bytes: everything the page downloads until the app is ready, as the browser counts it
  (CDP encodedDataLength: headers + compressed bodies), first load and repeat load (service worker).
  Baseline: the same files uncompressed.
- Time to a usable household form on emulated 2G (CDP Network.emulateNetworkConditions: 250 kbit/s
  down, 50 kbit/s up, 300 ms latency): a logged-in phone with an empty HTTP cache and no service
  worker (first load), then the same phone again (repeat load, from the service worker's cache).
  Each start asks for the PIN (issue 12): the time includes typing it and the unlock.
  Also the first visit to the login screen.
- Bytes per synced record: 20 households (4 members each) in one push, as the app sends them (gzip),
  request headers + body and the answer, per record; then one household with one photo (~1600 px
  JPEG). Baseline: the same batch as plain JSON. The households and the photo: bench/pwa_data.py.
"""

import argparse
import json
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from bench.pwa_data import document_photo, household  # noqa: E402
from fieldapp import create_app  # noqa: E402
from fieldapp.accounts.models import Role  # noqa: E402
from tests.support import databases  # noqa: E402
from tests.support.builders import PASSWORD, Builders  # noqa: E402
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

TWO_G = {"offline": False, "latency": 300, "downloadThroughput": 250_000 / 8, "uploadThroughput": 50_000 / 8}
NO_THROTTLE = {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}


def start_server(workdir: Path) -> tuple[Any, str]:
    url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    databases.migrate_and_load_units(url, workdir)
    config = databases.base_config(url, workdir)
    config.update({"LOGIN_RATE_LIMIT": "10000 per minute", "FIELD_BUILD_DIR": str(workdir / "build")})
    app = create_app(config)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return app, f"http://127.0.0.1:{server.server_port}"


class Meter:
    """Bytes the page receives (CDP), and request sizes of the sync calls (Playwright)."""

    def __init__(self, page: Page) -> None:
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.received: dict[str, float] = {}
        self.cdp.on("Network.loadingFinished", self._finished)

    def _finished(self, event: dict[str, Any]) -> None:
        self.received[event["requestId"]] = event["encodedDataLength"]

    def reset(self) -> None:
        self.received.clear()

    def total(self) -> int:
        return int(sum(self.received.values()))

    def network(self, conditions: dict[str, Any]) -> None:
        self.cdp.send("Network.emulateNetworkConditions", conditions)


PIN = "482915"


def log_in(page: Page, base: str, username: str) -> None:
    """The first login as a collector does it: password, then the PIN the app asks for."""
    page.goto(f"{base}/field/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login button[type=submit]")
    page.fill("#pin-setup input[name=pin]", PIN)
    page.fill("#pin-setup input[name=pin2]", PIN)
    page.click("#pin-setup button[type=submit]")
    page.wait_for_function("document.body.dataset.sync === 'done'", timeout=120_000)


def forget_the_shell(page: Page, base: str) -> None:
    """A phone that logged in before (its sealed data in IndexedDB) with nothing of /field/ cached:
    no service worker, no Cache Storage, an empty HTTP cache."""
    page.evaluate(
        """async () => {
            for (const r of await navigator.serviceWorker.getRegistrations()) await r.unregister();
            for (const name of await caches.keys()) await caches.delete(name);
        }"""
    )
    page.context.new_cdp_session(page).send("Network.clearBrowserCache")
    page.goto(f"{base}/healthz")


def launch(pw: Any, profile: Path) -> Any:
    return pw.chromium.launch_persistent_context(
        str(profile),
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        headless=True,
        viewport={"width": 360, "height": 740},
        bypass_csp=True,
    )


def time_to_form(page: Page, base: str) -> float:
    page.goto("about:blank")  # a real navigation each time, not a same-document hash change
    start = time.perf_counter()
    page.goto(f"{base}/field/#new/household", wait_until="commit")
    page.wait_for_selector("#unlock", timeout=120_000)  # every start asks for the PIN (issue 12)
    page.fill("#unlock input[name=pin]", PIN)
    page.click("#unlock button[type=submit]")
    page.wait_for_selector("body[data-form=household] [data-key=full_name]", timeout=120_000)
    return time.perf_counter() - start


def measure_loads(pw: Any, app: Any, base: str, runs: int, workdir: Path) -> dict[str, Any]:
    with app.app_context():
        username = Builders(app).user(Role.COLLECTOR).username
    firsts, repeats, logins, first_bytes, repeat_bytes = [], [], [], [], []
    for run in range(runs):
        context = launch(pw, workdir / f"profile-login-{run}")
        page = context.new_page()
        Meter(page).network(TWO_G)
        start = time.perf_counter()
        page.goto(f"{base}/field/", wait_until="commit")
        page.wait_for_selector("#login input[name=username]", timeout=120_000)
        logins.append(time.perf_counter() - start)
        context.close()

        context = launch(pw, workdir / f"profile-{run}")
        page = context.new_page()
        log_in(page, base, username)
        forget_the_shell(page, base)
        meter = Meter(page)
        meter.network(TWO_G)
        meter.reset()
        firsts.append(time_to_form(page, base))
        page.wait_for_selector("body[data-sw=ready]", timeout=120_000)
        page.wait_for_function("document.body.dataset.sync === 'done'", timeout=120_000)
        first_bytes.append(meter.total())
        meter.reset()
        repeats.append(time_to_form(page, base))
        page.wait_for_timeout(500)
        repeat_bytes.append(meter.total())
        context.close()
    return {
        "login_screen_first_visit_s": logins,
        "form_first_load_s": firsts,
        "form_repeat_load_s": repeats,
        "first_load_bytes": first_bytes,
        "repeat_load_bytes": repeat_bytes,
    }


def asset_sizes(app: Any) -> dict[str, int]:
    import re

    client = app.test_client()
    shell = client.get("/field/", headers={"Accept-Encoding": "br"})
    plain_shell = client.get("/field/")
    urls = re.findall(r'(?:href|src)="(/field/static/[^"]+)"', plain_shell.text)
    urls.append("/field/manifest.webmanifest")
    compressed = len(shell.data) + sum(
        len(client.get(u, headers={"Accept-Encoding": "br"}).data) for u in urls
    )
    plain = len(plain_shell.data) + sum(len(client.get(u).data) for u in urls)
    return {"files": len(urls) + 1, "brotli_bytes": compressed, "plain_bytes": plain}


def measure_sync(pw: Any, app: Any, base: str, workdir: Path) -> dict[str, Any]:
    with app.app_context():
        user = Builders(app).user(Role.COLLECTOR)
        username, user_id, commune = user.username, user.id, user.area_code
    context = launch(pw, workdir / "profile-sync")
    page = context.new_page()
    log_in(page, base, username)
    sizes: list[dict[str, Any]] = []
    page.on("requestfinished", lambda r: sizes.append({"url": r.url, "method": r.method, **r.sizes()}))
    rng = random.Random(20251120)
    records = [
        {
            "id": f"00000000-0000-4000-8000-{i:012d}",
            "type": "household",
            "data": household(i, commune, rng),
            "attachments": [],
            "captured_at": "2025-11-20T02:30:00.000Z",
            "user_id": user_id,
        }
        for i in range(20)
    ]
    page.evaluate(  # into the outbox as the app writes it (sealed, through its own store module)
        """async records => {
            const store = await import(document.querySelector('link[href*="/store."]').href);
            for (const r of records) await store.put('outbox', r);
          }""",
        records,
    )
    page.evaluate("document.body.dataset.sync = 'bench'")
    page.click("#sync")
    page.wait_for_function("document.body.dataset.sync === 'done' && document.body.dataset.outbox === '0'")
    push = [s for s in sizes if s["url"].endswith("/sync/push")]
    plain_body = len(json.dumps({"records": records}, ensure_ascii=False, separators=(",", ":")).encode())
    result = {
        "batch_records": 20,
        "push_requests": len(push),
        "up_bytes": sum(s["requestHeadersSize"] + s["requestBodySize"] for s in push),
        "down_bytes": sum(s["responseHeadersSize"] + s["responseBodySize"] for s in push),
        "plain_json_body": plain_body,
        "gzip_body": sum(s["requestBodySize"] for s in push),
    }
    photo = workdir / "photo.jpg"
    document_photo(photo)
    sizes.clear()
    page.click("#new-household")
    page.fill("[data-key=village]", "Bản Lát")
    page.fill("[data-key=full_name]", "Lò Văn Pản")
    page.select_option("[data-key=sex]", "male")
    page.fill("[data-key=date_of_birth]", "1975")
    page.select_option("[data-key=ethnicity]", "03")
    page.set_input_files("#photo", str(photo))
    page.wait_for_selector("body[data-photos='1']")
    page.evaluate("document.body.dataset.sync = 'bench'")
    page.click("#save")
    page.wait_for_function("document.body.dataset.sync === 'done' && document.body.dataset.outbox === '0'")
    sync_calls = [s for s in sizes if "/api/v1/sync/push" in s["url"] or "/attachments/" in s["url"]]
    with app.app_context():
        from fieldapp.sync.models import Attachment

        photo_bytes = max(a.size for a in Attachment.query.all())
    # blob bodies are not counted by the browser's request sizes: headers as counted plus the photo itself
    result["photo_bytes"] = photo_bytes
    result["photo_record_up_bytes"] = (
        photo_bytes
        + sum(
            s["requestHeadersSize"] + max(s["requestBodySize"], 0)
            for s in sync_calls
            if "/attachments/" not in s["url"]
        )
        + sum(s["requestHeadersSize"] for s in sync_calls if "/attachments/" in s["url"])
    )
    result["photo_record_down_bytes"] = sum(
        s["responseHeadersSize"] + s["responseBodySize"] for s in sync_calls
    )
    result["photo_requests"] = len(sync_calls)
    context.close()
    return result


def summary(values: list[float]) -> str:
    return f"median {statistics.median(values):.2f} s (min {min(values):.2f}, max {max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="fieldapp-pwa-bench-"))
    app, base = start_server(workdir)
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    logging.getLogger("fieldapp.access").setLevel(logging.ERROR)
    sizes = asset_sizes(app)
    with sync_playwright() as pw:
        loads = measure_loads(pw, app, base, args.runs, workdir)
        sync = measure_sync(pw, app, base, workdir)
    print("== Shell (all files the first load needs) ==")
    print(
        f"  {sizes['files']} files: {sizes['brotli_bytes']} B brotli vs {sizes['plain_bytes']} B plain "
        f"(ratio {sizes['plain_bytes'] / sizes['brotli_bytes']:.1f}x); target < 61440 B"
    )
    print(
        f"  first load on the wire (browser count, headers included): median "
        f"{statistics.median(loads['first_load_bytes']):.0f} B"
    )
    print(f"  repeat load on the wire: median {statistics.median(loads['repeat_load_bytes']):.0f} B")
    print("== Emulated 2G (250 kbit/s down, 50 kbit/s up, 300 ms latency) ==")
    print(f"  login screen, first visit:        {summary(loads['login_screen_first_visit_s'])}")
    print(f"  household form, first load:       {summary(loads['form_first_load_s'])}; target < 5 s")
    print(f"  household form, repeat load:      {summary(loads['form_repeat_load_s'])}; target < 1 s")
    speedup = statistics.median(loads["form_first_load_s"]) / statistics.median(loads["form_repeat_load_s"])
    print(f"  repeat vs first: {speedup:.1f}x faster")
    per = sync["up_bytes"] / sync["batch_records"]
    print("== Sync ==")
    print(
        f"  20 households (4 members) in {sync['push_requests']} push: up {sync['up_bytes']} B "
        f"= {per:.0f} B per household (target < 500), down {sync['down_bytes'] / 20:.0f} B per household"
    )
    print(
        f"  body gzip {sync['gzip_body']} B vs plain JSON {sync['plain_json_body']} B "
        f"(ratio {sync['plain_json_body'] / sync['gzip_body']:.1f}x)"
    )
    print(
        f"  one household with one photo ({sync['photo_bytes']} B JPEG, 1600 px): up "
        f"{sync['photo_record_up_bytes']} B in {sync['photo_requests']} requests, "
        f"down {sync['photo_record_down_bytes']} B"
    )


if __name__ == "__main__":
    main()
