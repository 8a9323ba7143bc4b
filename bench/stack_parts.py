"""Share of CPU samples in each part of a push, from py-spy's collapsed stacks (`py-spy record -f raw`).

    py-spy record -p PID -d 30 -r 200 -f raw -o stacks.txt     # a process pushing (bench/push_cpu.py)
    python bench/stack_parts.py stacks.txt [--ms-per-push 12.6]

A sample counts in a part when the part's function is anywhere on its stack (parts nest, as indented).
With --ms-per-push (the CPU ms a push costs, from push_cpu.py) the shares are turned into milliseconds.
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
    ("    existing records select", r"^_existing_records "),
    ("    record rows (derived columns, people)", r"^_record_row |^people_of "),
    ("    insert records", r"^_insert_records_once "),
    ("    progress counters", r"^count_created "),
    ("    people, version, audit, receipt code rows", r"^_store_dependents "),
    ("    duplicate check", r"^flag_duplicates "),
    ("  response serialization", r"flask_smorest/response\.py|^Schema\.dump "),
    ("  after_request hooks", r"^Flask\.process_response "),
    ("    commit", r"^scoped_session\.commit |^Session\.commit "),
    ("    access log line", r"^_log_request "),
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
    stacks = parse(args.stacks)
    total = sum(count for _, count in stacks)
    request = re.compile(PARTS[0][1])
    in_request = sum(count for frames, count in stacks if any(request.search(f) for f in frames))
    print(f"{total} samples, {in_request} in a request")
    for label, pattern in PARTS:
        regex = re.compile(pattern)
        hits = sum(count for frames, count in stacks if any(regex.search(f) for f in frames))
        share = hits / total
        ms = f"{share * args.ms_per_push:6.2f} ms" if args.ms_per_push else ""
        print(f"  {share * 100:5.1f} %  {ms}  {label}")


if __name__ == "__main__":
    main()
