"""Share of CPU samples in each part of a push, from py-spy's collapsed stacks (`py-spy record -f raw`).

    py-spy record -p PID -d 30 -r 200 -f raw -o stacks.txt     # a process pushing (bench/push_cpu.py)
    python bench/stack_parts.py stacks.txt [--ms-per-push 12.6]

A sample counts in a part when the part's function is anywhere on its stack (parts nest, as indented);
shares are of the samples taken while a push was handled (start-up left out). With --ms-per-push (the
CPU ms a push costs, from push_cpu.py) they are turned into milliseconds.
Sampling does not slow the code it watches, so the shares are not bent as cProfile's are.
"""

import argparse
import re
from pathlib import Path

#: (label, regular expression matched against one frame "function (file:line)")
PARTS = [
    ("whole request (WSGI app, middleware + Flask)", r"^GzipRequestMiddleware\.__call__ "),
    ("  before_request hooks", r"^Flask\.preprocess_request "),
    ("    token lookup (hash, device + user select)", r"^check_token "),
    ("    device last-use write", r"^touch_device "),
    ("    rate limiter", r"flask_limiter/"),
    ("  body parsing: webargs + marshmallow", r"^Parser\.parse \(webargs"),
    ("    record data schema (load_record_data)", r"^load_record_data "),
    ("  push_batch (the rules, flush included)", r"^push_batch "),
    ("    area check (admin unit lookup)", r"^_check_areas "),
    ("    existing records select (before: every push; now: edits)", r"^_existing_records "),
    ("    record rows (derived columns, people)", r"^_record_row |^people_of "),
    ("    insert records", r"^_insert_records_once "),
    ("    progress counters (before: 3 upserts)", r"^count_created "),
    ("    people, version, audit, receipt code rows (before: 4 inserts)", r"^_store_dependents "),
    ("    records and the rows they bring, one statement (now)", r"^insert_new "),
    ("    duplicate check", r"^flag_duplicates "),
    ("    progress counters (now: after the check)", r"^count_collected "),
    ("  response serialization (marshmallow dump, JSON)", r"^Schema\.dump |^jsonify "),
    ("  after_request hooks", r"^Flask\.process_response "),
    ("    commit", r"^_finish_transaction|^register_request_transaction\.<locals>\._finish_transaction "),
    ("    access log line", r"_log_request "),
    ("SQLAlchemy + driver, any statement", r"^Session\.execute |^Connection\.execute |^Session\.scalars? "),
    ("  of which the driver (psycopg / sqlite3 execute)", r"^Cursor\.execute |^DefaultDialect\.do_execute"),
]


def parse(path: Path) -> list[tuple[list[str], int]]:
    stacks = []
    for line in path.read_text().splitlines():
        frames, _, count = line.rpartition(" ")
        if frames:
            stacks.append((frames.split(";"), int(count)))
    return stacks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stacks", type=Path)
    parser.add_argument("--ms-per-push", type=float, default=None)
    args = parser.parse_args()
    everything = parse(args.stacks)
    # the pushes: the test client's or gunicorn's handling of a request (not the start-up)
    pushing = re.compile(r"^Client\.open |^SyncWorker\.handle_request ")
    stacks = [(frames, n) for frames, n in everything if any(pushing.search(f) for f in frames)]
    total = sum(count for _, count in stacks)
    print(f"{sum(n for _, n in everything)} samples, {total} while pushing (the shares below)")
    for label, pattern in PARTS:
        regex = re.compile(pattern)
        hits = sum(count for frames, count in stacks if any(regex.search(f) for f in frames))
        share = hits / total
        ms = f"{share * args.ms_per_push:6.2f} ms" if args.ms_per_push else ""
        print(f"  {share * 100:5.1f} %  {ms}  {label}")


if __name__ == "__main__":
    main()
