"""The household registry on the phone (issue 13), server side: what a commune's registry costs on the wire.

    flock /work/wt/bench.lock python bench/registry_bench.py [--households 5000] [--people 20000]
        [--backend sqlite|postgresql] [--limit 500]

Seeds one commune (Mường Lát: H'Mông and Thái names from the demo's lists, 12 villages) through the push
rules a phone's records go through, with the states a campaign leaves (verified, transferred, ...), births
and deaths linked to their households, some members moved away or dead. Then, against gunicorn:

- the full first download of the commune's collector, with brotli and with gzip: bytes on the wire (body
  and headers), bytes per person, requests, server time per page;
- a day's work (new households, births linked to households, clerks' decisions) and the increment that
  brings it to the phone;
- a download time on 2G: RTT per request plus the bytes at the link's rate (--kbits, --rtt).

seed_commune() and day_of_changes() are the phone benchmark's (bench/registry_phone_bench.py) too.
"""

import argparse
import gzip
import json
import random
import statistics
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import brotli
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import fresh_database, gunicorn, postgres_ok, temp_workdir
from fieldapp import create_app
from fieldapp.demo import DemoFactory
from fieldapp.extensions import db
from tests.support import databases

COMMUNE = "14845"  # Xã Mường Lát, Thanh Hóa
ETHNICITIES = ("08", "08", "03")  # H'Mông, H'Mông, Thái
VILLAGES = (
    "Bản Lát", "Bản Pù Toong", "Bản Ón", "Bản Con Cha", "Bản Cá Tớp", "Bản Mường Lát", "Bản Pom Khuông",
    "Bản Lách", "Bản Na Khà", "Bản Sài Khao", "Bản Tén Tằn", "Bản Pa Quăn",
)  # fmt: skip
PASSWORD = "bench-registry-password"
#: the states a campaign's households are in after some months (weights)
STATES = (("submitted", 35), ("in_review", 10), ("verified", 35), ("transferred", 20))
BATCH = 100


@dataclass
class Commune:
    """What seed_commune made: who to log in as, and what is there."""

    database_url: str
    commune: str
    #: username of a collector of the whole commune, of one assigned two villages, and of a clerk
    collector: str
    village_collector: str
    clerk: str
    households: list[str] = field(default_factory=list)
    people: int = 0
    events: int = 0


def _app(database_url: str, workdir: Path) -> Any:
    config = databases.base_config(database_url, workdir)
    config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    return create_app(config)


class Households(DemoFactory):
    """The demo's people, in the villages of one large commune."""

    def household_of(self, village: str) -> dict[str, Any]:
        data = self.household(COMMUNE, self.pick(ETHNICITIES))
        data["village"] = village
        for member in data["members"][2:]:
            roll = self.rng.random()
            if roll < 0.06:
                member["status"] = "moved"
            elif roll < 0.08 and member["date_of_birth"][:4] < "1990":
                member["status"] = "died"
        return data

    def birth_in(self, household: dict[str, Any]) -> dict[str, Any]:
        data = self.birth(COMMUNE, household["members"][0]["ethnicity"])
        data["village"] = household["village"]
        head, spouse = household["members"][0], household["members"][1]
        data["child"]["full_name"] = (
            head["full_name"].split()[0] + " " + data["child"]["full_name"].split(" ", 1)[1]
        )
        data["father"] = {k: head[k] for k in ("full_name", "date_of_birth", "ethnicity") if k in head}
        data["mother"] = {k: spouse[k] for k in ("full_name", "date_of_birth", "ethnicity") if k in spouse}
        return data

    def death_in(self, household: dict[str, Any]) -> dict[str, Any]:
        data = self.death(COMMUNE, household["members"][0]["ethnicity"])
        data["village"] = household["village"]
        return data


def _sized(factory: Households, households: int, people: int) -> list[dict[str, Any]]:
    """`households` households holding `people` people in all (children added or taken to match)."""
    made = [factory.household_of(VILLAGES[n % len(VILLAGES)]) for n in range(households)]
    total = sum(len(h["members"]) for h in made)
    while total != people:
        home = factory.rng.choice(made)
        if total > people and len(home["members"]) > 2:
            home["members"].pop()
            total -= 1
        elif total < people and len(home["members"]) < 12:
            extra = factory.household_of(home["village"])["members"][0]
            home["members"].append({**extra, "relationship": "child"})
            total += 1
    return made


def _push(user: Any, kind: str, datas: list[dict[str, Any]], ids: list[str] | None = None) -> list[str]:
    from fieldapp.sync.schemas import load_push_items
    from fieldapp.sync.services import push_batch

    ids = ids or [str(uuid.uuid4()) for _ in datas]
    raw = [
        {"id": i, "type": kind, "captured_at": "2025-11-20T09:30:00+07:00", "data": d}
        for i, d in zip(ids, datas, strict=True)
    ]
    for start in range(0, len(raw), BATCH):
        results = push_batch(user, None, load_push_items(raw[start : start + BATCH]))
        bad = [r for r in results if r["status"] != "created"]
        if bad:
            raise RuntimeError(f"seeding refused a record: {bad[0]}")
        db.session.commit()
    return ids


def _set_states(ids: list[str], rng: random.Random) -> None:
    """The campaign's decisions, in bulk (one UPDATE through the session, as a bulk import does)."""
    from sqlalchemy import bindparam, update

    from fieldapp.records.models import Record

    names, weights = zip(*STATES, strict=True)
    rows = [{"b_id": i, "b_state": rng.choices(names, weights)[0]} for i in ids]
    rows = [r for r in rows if r["b_state"] != "submitted"]
    table = Record.__table__
    statement = update(table).where(table.c.id == bindparam("b_id")).values(state=bindparam("b_state"))
    db.session.execute(statement, rows)
    db.session.commit()


def seed_commune(
    database_url: str, workdir: Path, households: int = 5000, people: int = 20000, seed: int = 13
) -> Commune:
    """A commune of `households` households and `people` people, with linked births and deaths."""
    from fieldapp.accounts.models import Role
    from fieldapp.accounts.services import create_user

    app = _app(database_url, workdir)
    factory = Households(seed)
    with app.test_request_context():
        roles = {"thuthap": Role.COLLECTOR, "thuthap2": Role.COLLECTOR, "thuthapban": Role.COLLECTOR}
        users = {
            name: create_user(name, PASSWORD, role, COMMUNE, hash_method="pbkdf2:sha256:1000")
            for name, role in {**roles, "canbo": Role.CLERK}.items()
        }
        users["thuthapban"].villages = list(VILLAGES[:2])
        db.session.commit()
        datas = _sized(factory, households, people)
        collectors = [users["thuthap"], users["thuthap2"]]
        ids: list[str] = []
        for n, collector in enumerate(collectors):
            ids += _push(collector, "household", datas[n :: len(collectors)])
        by_id = dict(zip(ids, datas[0::2] + datas[1::2], strict=True))
        linked = factory.rng.sample(ids, households // 10)
        births = [factory.birth_in(by_id[h]) | {"household_id": h} for h in linked[: households * 8 // 100]]
        deaths = [factory.death_in(by_id[h]) | {"household_id": h} for h in linked[households * 8 // 100 :]]
        events = _push(collectors[0], "birth", births) + _push(collectors[0], "death", deaths)
        _set_states(ids + events, factory.rng)
        db.engine.dispose()
    return Commune(database_url, COMMUNE, "thuthap", "thuthapban", "canbo", ids, people, len(events))


def day_of_changes(
    commune: Commune,
    workdir: Path,
    new_households: int = 60,
    births: int = 40,
    decisions: int = 150,
    seed: int = 14,
) -> dict[str, int]:
    """A day's work in the commune: households collected, newborns added to known households (by
    another collector), clerks' decisions on waiting records."""
    from sqlalchemy import select

    from fieldapp.accounts.models import User
    from fieldapp.records import services as records
    from fieldapp.records.models import Record
    from fieldapp.records.states import Action, State

    app = _app(commune.database_url, workdir)
    factory = Households(seed)
    with app.test_request_context():
        users = {u.username: u for u in db.session.scalars(select(User))}
        fresh = [factory.household_of(factory.pick(VILLAGES)) for _ in range(new_households)]
        added = _push(users["thuthap2"], "household", fresh)
        homes = factory.rng.sample(commune.households, births)
        stored = {r.id: r.data for r in db.session.scalars(select(Record).where(Record.id.in_(homes)))}
        _push(users["thuthap2"], "birth", [factory.birth_in(stored[h]) | {"household_id": h} for h in homes])
        waiting = db.session.scalars(
            select(Record).where(Record.id.in_(commune.households), Record.state == State.SUBMITTED)
        ).all()
        clerk = users[commune.clerk]
        for record in factory.rng.sample(list(waiting), min(decisions, len(waiting))):
            records.transition(record, Action.START, clerk)
            records.transition(record, Action.VERIFY, clerk)
            db.session.commit()
        db.engine.dispose()
    commune.households += added
    return {"new_households": len(added), "births": births, "decisions": min(decisions, len(waiting))}


def token_for(base: str, username: str) -> str:
    answer = requests.post(
        f"{base}/api/v1/auth/token",
        json={"username": username, "password": PASSWORD, "device_name": "bench"},
        timeout=30,
    )
    answer.raise_for_status()
    return answer.json()["token"]


@dataclass
class Download:
    encoding: str
    requests: int = 0
    body_bytes: int = 0
    header_bytes: int = 0
    plain_bytes: int = 0
    households: int = 0
    gone: int = 0
    people: int = 0
    page_ms: list[float] = field(default_factory=list)
    cursor: str = "0"

    @property
    def wire_bytes(self) -> int:
        return self.body_bytes + self.header_bytes


def download(base: str, token: str, encoding: str, cursor: str = "0", limit: int = 500) -> Download:
    """Every page from `cursor` until `more` is false, as a phone asks for them."""
    result = Download(encoding, cursor=cursor)
    decode = {"br": brotli.decompress, "gzip": gzip.decompress}[encoding]
    while True:
        started = time.perf_counter()
        answer = requests.get(
            f"{base}/api/v1/sync/registry",
            params={"cursor": result.cursor, "limit": limit},
            headers={"Authorization": f"Bearer {token}", "Accept-Encoding": encoding},
            stream=True,
            timeout=120,
        )
        raw = answer.raw.read(decode_content=False)
        result.page_ms.append((time.perf_counter() - started) * 1000)
        answer.raise_for_status()
        assert answer.headers.get("Content-Encoding") == encoding
        page = json.loads(decode(raw))
        result.requests += 1
        result.body_bytes += len(raw)
        result.header_bytes += len("".join(f"{k}: {v}\r\n" for k, v in answer.headers.items())) + 17
        result.plain_bytes += len(decode(raw))
        for household in page["households"]:
            result.households += 1
            result.gone += bool(household.get("gone"))
            result.people += len(household.get("members", []))
        result.cursor = page["cursor"]
        if not page["more"]:
            return result


def on_2g(d: Download, kbits: float, rtt_ms: float, request_bytes: int = 420, up_kbits: float = 100) -> float:
    """Seconds on a 2G link: a TCP + TLS setup (2 RTT), then per request its RTT and upload, and the
    answers' bytes at the link's rate."""
    up = d.requests * request_bytes * 8 / (up_kbits * 1000)
    return (2 + d.requests) * rtt_ms / 1000 + up + d.wire_bytes * 8 / (kbits * 1000)


def _line(label: str, d: Download, people: int, kbits: float, rtt: float) -> str:
    per_person = d.wire_bytes / people if people else 0
    return (
        f"{label:<34} {d.encoding:<5} {d.requests:>4} req  {d.households:>5} hh ({d.gone} gone) "
        f"{d.plain_bytes / 1024:>8.1f} KiB json  {d.wire_bytes / 1024:>7.1f} KiB wire  "
        f"{per_person:>5.1f} B/person  server {statistics.median(d.page_ms):>6.0f} ms/page median "
        f"(max {max(d.page_ms):.0f})  2G {on_2g(d, kbits, rtt):>5.1f} s"
    )


def compression_levels(base: str, token: str, limit: int) -> list[str]:
    """What brotli's quality and gzip's level would give on the same pages (sizes and ms per page)."""
    answer = requests.get(
        f"{base}/api/v1/sync/registry",
        params={"cursor": "0", "limit": limit},
        headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"},
        timeout=120,
    )
    body = answer.content
    lines = []
    for name, squeeze in (
        ("br q5", lambda b: brotli.compress(b, quality=5, mode=brotli.MODE_TEXT)),
        ("br q9", lambda b: brotli.compress(b, quality=9, mode=brotli.MODE_TEXT)),
        ("br q11", lambda b: brotli.compress(b, quality=11, mode=brotli.MODE_TEXT)),
        ("gzip 6", lambda b: gzip.compress(b, 6)),
        ("gzip 9", lambda b: gzip.compress(b, 9)),
    ):
        started = time.perf_counter()
        size = len(squeeze(body))
        lines.append(
            f"  {name:<7} {size / 1024:>6.1f} KiB  {(time.perf_counter() - started) * 1000:>6.1f} ms"
        )
    return [f"one page of {limit} households, {len(body) / 1024:.1f} KiB of JSON:", *lines]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=5000)
    parser.add_argument("--people", type=int, default=20000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--limit", type=int, default=500)
    parser.add_argument("--kbits", type=float, default=250, help="2G downlink, kbit/s")
    parser.add_argument("--rtt", type=float, default=400, help="2G round trip, ms")
    args = parser.parse_args()
    if args.backend == "postgresql" and not postgres_ok():
        sys.exit("PostgreSQL is not reachable")
    workdir = temp_workdir()
    with fresh_database(args.backend, workdir) as url:
        started = time.perf_counter()
        commune = seed_commune(url, workdir, args.households, args.people)
        print(
            f"seeded {len(commune.households)} households, {commune.people} people, {commune.events} linked "
            f"events on {args.backend} in {time.perf_counter() - started:.0f} s"
        )
        with gunicorn(url, workdir) as base:
            token = token_for(base, commune.collector)
            full = {enc: download(base, token, enc, limit=args.limit) for enc in ("br", "gzip")}
            for d in full.values():
                print(_line("full download, whole commune", d, commune.people, args.kbits, args.rtt))
            villages = download(base, token_for(base, commune.village_collector), "br", limit=args.limit)
            print(_line("full download, 2 of 12 villages", villages, villages.people, args.kbits, args.rtt))
            print("\n".join(compression_levels(base, token, args.limit)))
            cursors = {enc: d.cursor for enc, d in full.items()}
            work = day_of_changes(commune, workdir)
            print(f"a day's work: {work}")
            for enc, cursor in cursors.items():
                runs = [download(base, token, enc, cursor=cursor, limit=args.limit) for _ in range(3)]
                runs[-1].page_ms = [ms for run in runs for ms in run.page_ms]  # three asks, same answer
                print(_line("increment after the day (x3)", runs[-1], runs[-1].people, args.kbits, args.rtt))
            print(f"2G model: {args.kbits:.0f} kbit/s down, 100 kbit/s up, {args.rtt:.0f} ms RTT per request")


if __name__ == "__main__":
    main()
