"""The area's households on the phone (issue 13): first download on 2G, index build and offline search on a
slow CPU, and the room they take in IndexedDB.

    flock /work/wt/bench.lock python bench/registry_phone_bench.py                # 5,000 households
    flock /work/wt/bench.lock python bench/registry_phone_bench.py --households 1000 --runs 3

gunicorn on a fresh SQLite database holding one commune of 5,000 households with 20,000 people, their
states and linked births and deaths (bench/registry_bench.py's seed_commune), and Debian's Chromium at
360x740, logged in as a collector of the whole commune.
- First download: a collector logs in on emulated 2G (CDP Network.emulateNetworkConditions: 250 kbit/s
  down, 50 kbit/s up, 400 ms latency); time from the first GET /api/v1/sync/registry to the app's 'done'
  (every page fetched, sealed and stored with its cursor), and the bytes those requests took on the wire
  (CDP encodedDataLength: headers and compressed bodies).
- Index build after unlock, with the CPU slowed 4x (CDP Emulation.setCPUThrottlingRate): the app offline,
  reloaded and unlocked; then the index dropped and rebuilt as after an unlock: every sealed row read from
  IndexedDB, opened (AES-GCM) and indexed. Median and worst of --runs.
- Offline search, same 4x CPU: queries by name without diacritics, receipt code and ID number; the search
  itself (registry.js), and typing into "Hộ đã có" until the list shows (the 150 ms typing pause taken off).
- The duplicate check at the door for a new household of four people, same 4x CPU.
- IndexedDB size: navigator.storage.estimate() before and after the download.
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from bench.common import fresh_database, gunicorn, temp_workdir  # noqa: E402
from bench.pwa_bench import PIN, launch, log_in  # noqa: E402
from bench.registry_bench import seed_commune  # noqa: E402
from fieldapp import create_app  # noqa: E402
from fieldapp.accounts.models import Role  # noqa: E402
from fieldapp.extensions import db  # noqa: E402
from tests.support import databases  # noqa: E402
from tests.support.builders import Builders  # noqa: E402

TWO_G = {"offline": False, "latency": 400, "downloadThroughput": 250_000 / 8, "uploadThroughput": 50_000 / 8}
NO_THROTTLE = {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
#: names of the seeded commune (fieldapp/demo.py: H'Mông and Thái), typed without diacritics
QUERIES = ["giang a pao", "lo van", "vang thi mua", "sung", "thao seo chu", "ha thi"]


def storage_used(page: Page) -> dict[str, int]:
    estimate = page.evaluate("navigator.storage.estimate()")
    return {"usage": estimate["usage"], "indexeddb": estimate.get("usageDetails", {}).get("indexedDB", 0)}


def first_download(page: Page, base: str, username: str) -> dict[str, Any]:
    """Log in on 2G; the registry requests from the first one's start to the app's 'done'."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    started: dict[str, float] = {}
    received: dict[str, float] = {}

    def sent(event: dict[str, Any]) -> None:
        if "/sync/registry" in event["request"]["url"]:
            started[event["requestId"]] = time.perf_counter()

    def finished(event: dict[str, Any]) -> None:
        if event["requestId"] in started:
            received[event["requestId"]] = event["encodedDataLength"]

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.loadingFinished", finished)
    page.goto(f"{base}/healthz")  # the app's origin, nothing stored yet
    before = storage_used(page)
    cdp.send("Network.emulateNetworkConditions", TWO_G)
    log_in(page, base, username)  # password, PIN, then the first sync: pull and the registry's pages
    done = time.perf_counter()
    cdp.send("Network.emulateNetworkConditions", NO_THROTTLE)
    households = page.evaluate(
        """() => new Promise((resolve) => {
            const open = indexedDB.open('fieldapp');
            open.onsuccess = () => {
                const q = open.result.transaction('registry').objectStore('registry').count();
                q.onsuccess = () => resolve(q.result);
            };
        })"""
    )
    page.wait_for_timeout(2000)  # storage.estimate() catches up with the last writes
    after = storage_used(page)
    return {
        "seconds": done - min(started.values()),
        "requests": len(started),
        "wire_bytes": int(sum(received.values())),
        "households_stored": households,
        "storage_before": before,
        "storage_after": after,
    }


def unlock_offline(page: Page, base: str) -> None:
    """Start the app again with no network, from the service worker, and type the PIN."""
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=300_000)
    page.goto("about:blank")
    page.context.set_offline(True)
    page.goto(f"{base}/field/")
    page.wait_for_selector("#unlock input[name=pin]", timeout=120_000)
    page.fill("#unlock input[name=pin]", PIN)
    page.click("#unlock button[type=submit]")
    page.wait_for_selector("body[data-lock=open]", timeout=120_000)
    page.wait_for_timeout(3000)  # the app's own index build after unlock is over


def index_and_search(page: Page, registry_url: str, runs: int) -> dict[str, Any]:
    """In the page, with the app's own modules: rebuild the index `runs` times, then the searches."""
    return page.evaluate(
        """async ([registryUrl, queries, runs]) => {
            const store = await import(document.querySelector('link[href*="/store."]').href);
            const registry = await import(registryUrl);
            const builds = [];
            for (let i = 0; i < runs; i++) {
                store.setDataKey(store.currentDataKey()); // as at an unlock: the index in memory is dropped
                const start = performance.now();
                await registry.ready();
                builds.push(performance.now() - start);
            }
            const index = await registry.ready();
            const first = index.entries[Math.floor(index.entries.length / 3)].hh;
            const code = first.receipt_code;
            const pid = first.members.find((m) => m.pid)?.pid || '038';
            const all = [...queries, code.slice(0, 5) + '-' + code.slice(5), pid.slice(0, 9), pid];
            const searches = [];
            for (const q of all) {
                for (let i = 0; i < runs; i++) {
                    const start = performance.now();
                    const { count } = registry.search(index, q);
                    searches.push({ q, ms: performance.now() - start, count });
                }
            }
            const doors = []; // a new household of four, checked against the registry before it is saved
            const people = first.members.map((m) => ({
                full_name: m.name, date_of_birth: m.dob, personal_id: m.pid }));
            for (let i = 0; i < runs; i++) {
                const start = performance.now();
                registry.doorMatches(index, 'household', { village: first.village, members: people });
                doors.push(performance.now() - start);
            }
            const indexed = index.entries.reduce((n, e) => n + e.hh.members.length, 0);
            return { builds, searches, doors, people: indexed };
        }""",
        [registry_url, QUERIES, runs],
    )


def typed_search(page: Page, queries: list[str]) -> dict[str, float]:
    """From the last keystroke to the list on screen, in "Hộ đã có", minus the 150 ms typing pause."""
    page.evaluate("location.hash = '#households'")
    page.wait_for_selector("#villages li", timeout=120_000)
    times = {}
    for q in queries:
        ms = page.evaluate(
            """(q) => new Promise((resolve) => {
                const input = document.getElementById('registry-search');
                input.value = q;
                const start = performance.now();
                input.dispatchEvent(new Event('input'));
                const wait = () => (document.body.dataset.searched === q
                    ? requestAnimationFrame(() => resolve(performance.now() - start - 150))
                    : setTimeout(wait, 5));
                wait();
            })""",
            q,
        )
        times[q] = round(ms, 1)
    return times


def summary(values: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(values), 1), "worst": round(max(values), 1)}


def main() -> None:
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=raw)
    parser.add_argument("--households", type=int, default=5000)
    parser.add_argument("--people", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    workdir = temp_workdir()
    with fresh_database("sqlite", workdir) as url:
        started = time.perf_counter()
        commune = seed_commune(url, workdir, args.households, args.people)
        seeded = time.perf_counter() - started
        app = create_app(databases.base_config(url, workdir))
        with app.app_context():  # a collector of the whole commune, whose password pwa_bench.log_in types
            username = Builders(app).user(Role.COLLECTOR, commune.commune).username
            registry_url = f"/field/static/{app.extensions['field_assets'].names['js/registry.js']}"
            db.engine.dispose()
        with gunicorn(url, workdir) as base, sync_playwright() as pw:
            context = launch(pw, workdir / "profile")
            page = context.new_page()
            download = first_download(page, base, username)
            cdp = page.context.new_cdp_session(page)  # kept open: the slowdown holds while it lives
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
            unlock_offline(page, base)
            measured = index_and_search(page, registry_url, args.runs)
            typed = typed_search(page, QUERIES)
            context.close()
    people = commune.people
    result = {
        "households": args.households,
        "people": people,
        "seed_seconds": round(seeded, 1),
        "first_download_2g": {**download, "seconds": round(download["seconds"], 1)},
        "cpu_slowdown": 4,
        "index_build_ms": summary(measured["builds"]),
        "people_indexed": measured["people"],
        "search_ms": summary([s["ms"] for s in measured["searches"]]),
        "search_ms_by_query": {
            q: summary([s["ms"] for s in measured["searches"] if s["q"] == q])
            | {"found": next(s["count"] for s in measured["searches"] if s["q"] == q)}
            for q in dict.fromkeys(s["q"] for s in measured["searches"])
        },
        "typed_search_to_list_ms": summary(list(typed.values())) | {"by_query": typed},
        "door_check_ms": summary(measured["doors"]),
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
