"""Register keying at the office: 100 entries of a 1985 birth register keyed with the keyboard alone.

    flock /work/wt/bench.lock python bench/keying_bench.py               # 100 entries, 25 ms a key
    flock /work/wt/bench.lock python bench/keying_bench.py --entries 20 --pace 60

A live server (werkzeug, threaded, fresh migrated SQLite) and Debian's Chromium at 1366x768. The entries
come from tests/support/register.py (Thanh Hóa names, partial and lunar dates, villages in runs, the same
official). The clerk reads the scan, types each value (digits for dates, names without diacritics for
ethnic groups), Tab between fields, Enter to save, Alt+PageDown when the book turns a page.

Reported:
- keystrokes per entry against the characters of the entry's own data as the register writes it
  (dd/mm/yyyy dates, names with diacritics, carried values included): the overhead ratio;
- application time per entry: the save round trip as the page measures it (submit -> the saved answer
  shown and the next entry's first field focused; the server's work included; the harness's own
  latency from pressing Enter to seeing the result is reported beside it) plus the page's own scripts
  while typing (CDP ScriptDuration beyond what the same keys and driver calls cost in bare inputs,
  measured in the same run): the simulated typing and the harness are not application time. Style,
  layout and all main-thread work while typing (also beyond bare inputs) are reported beside it;
- mouse events the page saw (every mousedown/up, click with a pointer, move, wheel): must be 0.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from fieldapp import create_app  # noqa: E402
from tests.support import databases  # noqa: E402
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.support.keying import Keyboard, key_entry  # noqa: E402
from tests.support.office import (  # noqa: E402
    MOUSE_COUNTER,
    PER_PAGE,
    mouse_events,
    seed_book,
    serving,
    signed_in_page,
)
from tests.support.register import entries  # noqa: E402

WORK = ("TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration")


def work_ms(cdp) -> dict[str, float]:
    """The renderer's main-thread time so far (CDP Performance metrics), in ms, by kind."""
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return {name: metrics[name] * 1000 for name in WORK}


def since(before: dict[str, float], cdp) -> dict[str, float]:
    now = work_ms(cdp)
    return {name: now[name] - before[name] for name in WORK}


def baseline_ms_per_key(browser, pace_ms: float, keys: int = 400) -> dict[str, float]:
    """Main-thread time a key costs in bare inputs with the same driver (one focus read per 4 keys)."""
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.set_content("<form>" + "<input name=x>" * 20 + "</form>")
    page.focus("input")
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    board = Keyboard(page, pace_ms)
    start = work_ms(cdp)
    while board.strokes < keys:
        page.evaluate("document.activeElement.name")
        board.type("abc")
        board.press("Shift+Tab" if board.strokes % 40 == 0 else "Tab")
    spent = since(start, cdp)
    page.close()
    return {name: value / board.strokes for name, value in spent.items()}


def run(count: int, pace_ms: float) -> dict:
    book = entries(count)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        url = f"sqlite:///{work / 'bench.sqlite3'}"
        databases.migrate_and_load_units(url, work)
        config = databases.base_config(url, work)
        config["LOGIN_RATE_LIMIT"] = "10000 per minute"
        app = create_app(config)
        username, book_id = seed_book(app, book, quota=120)
        with serving(app) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            per_key = baseline_ms_per_key(browser, pace_ms)
            page = signed_in_page(browser, base, username)
            page.add_init_script(MOUSE_COUNTER)
            page.goto(f"{base}/review/books/{book_id}?page=1")
            cdp = page.context.new_cdp_session(page)
            cdp.send("Performance.enable")
            keys = Keyboard(page, pace_ms)
            rows = []
            for entry in book:
                strokes_before = keys.strokes
                started = time.perf_counter()
                before = work_ms(cdp)
                if (int(entry.number) - 1) // PER_PAGE + 1 > int(page.input_value("#page-input")):
                    keys.press("Alt+PageDown")
                key_entry(keys, entry, save=False)
                typed = keys.strokes - strokes_before
                spent = {k: max(0.0, v - per_key[k] * typed) for k, v in since(before, cdp).items()}
                saving = time.perf_counter()
                keys.press("Enter")
                page.wait_for_function(
                    "n => document.activeElement?.id === 'entry_number' && document.readyState === 'complete'"
                    " && document.querySelector('.flash-success')?.textContent.includes('số ' + n + '.')",
                    arg=entry.number,
                )
                done = time.perf_counter()
                in_page = page.evaluate("performance.getEntriesByName('entry-save').at(-1).duration")
                rows.append(
                    {
                        "strokes": keys.strokes - strokes_before,
                        "chars": entry.characters(),
                        "save_ms": in_page,
                        "save_seen_ms": (done - saving) * 1000,
                        "script_ms": spent["ScriptDuration"],
                        "render_ms": spent["LayoutDuration"] + spent["RecalcStyleDuration"],
                        "task_ms": spent["TaskDuration"],
                        "wall_s": done - started,
                    }
                )
            mouse = mouse_events(page)
            browser.close()
    strokes = sum(r["strokes"] for r in rows)
    chars = sum(r["chars"] for r in rows)
    app_ms = [r["save_ms"] + r["script_ms"] for r in rows]
    return {
        "entries": len(rows),
        "keystrokes": strokes,
        "characters": chars,
        "ratio": strokes / chars,
        "strokes_per_entry": strokes / len(rows),
        "chars_per_entry": chars / len(rows),
        "app_ms_mean": statistics.mean(app_ms),
        "app_ms_median": statistics.median(app_ms),
        "app_ms_p95": sorted(app_ms)[int(0.95 * (len(app_ms) - 1))],
        "save_ms_median": statistics.median(r["save_ms"] for r in rows),
        "save_seen_ms_median": statistics.median(r["save_seen_ms"] for r in rows),
        "script_ms_median": statistics.median(r["script_ms"] for r in rows),
        "render_ms_median": statistics.median(r["render_ms"] for r in rows),
        "task_ms_median": statistics.median(r["task_ms"] for r in rows),
        "wall_s": sum(r["wall_s"] for r in rows),
        "baseline_ms_per_key": per_key,
        "mouse_events": mouse,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100)
    parser.add_argument("--pace", type=float, default=25, help="milliseconds between key presses")
    args = parser.parse_args()
    result = run(args.entries, args.pace)
    print(f"entries keyed:            {result['entries']} (pace {args.pace:g} ms a key)")
    print(
        f"keystrokes / characters:  {result['keystrokes']} / {result['characters']} = "
        f"{result['ratio']:.3f}  (target <= 1.15)"
    )
    print(
        f"per entry:                {result['strokes_per_entry']:.1f} keys for "
        f"{result['chars_per_entry']:.1f} characters"
    )
    print(
        f"application ms / entry:   mean {result['app_ms_mean']:.0f}, median {result['app_ms_median']:.0f}, "
        f"p95 {result['app_ms_p95']:.0f}  (target <= 150)"
    )
    print(
        f"  of which save round trip median {result['save_ms_median']:.0f} ms "
        f"(as the harness sees it: {result['save_seen_ms_median']:.0f} ms), "
        f"the page's scripts while typing median {result['script_ms_median']:.0f} ms"
    )
    print(
        f"beyond bare inputs ({result['baseline_ms_per_key']['TaskDuration']:.1f} ms of main thread a key), "
        f"per entry while typing: style+layout {result['render_ms_median']:.0f} ms, "
        f"all main-thread work {result['task_ms_median']:.0f} ms (median)"
    )
    print(f"wall time:                {result['wall_s']:.1f} s")
    print(f"mouse events:             {result['mouse_events']}  (must be 0)")


if __name__ == "__main__":
    main()
