"""Bulk transfer: the national system's answers for N verified records imported at once, then again.

    python bench/transfer_bench.py [--records 5000] [--backend sqlite|postgresql]

Seeds N verified birth records of one commune, writes the answer CSV (receipt code, number, date), and
times import_transfers (what the page and `flask records transfer` run) in one transaction: the first run
marks every record transferred, the second finds each one already there and writes nothing.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import fresh_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, fresh_database(args.backend, Path(tmp)) as url:
        run(url, Path(tmp), args.records)


SYLLABLES = ("An", "Bình", "Chiến", "Dũng", "Đức", "Giang", "Hà", "Hải", "Hùng", "Khánh", "Lan", "Linh",
             "Mai", "Minh", "Nam", "Ngọc", "Phúc", "Quang", "Sơn", "Tâm")  # fmt: skip


def child(n: int) -> dict:
    """Birth data of a child with a name of its own (identical names would be flagged as duplicates)."""
    from tests.support.builders import birth_data

    data = birth_data()
    first, second, third = n % 20, n // 20 % 20, n // 400 % 20
    data["child"]["full_name"] = f"Lò {SYLLABLES[third]} {SYLLABLES[second]} {SYLLABLES[first]}"
    data["child"].pop("personal_id", None)
    return data


def run(url: str, workdir: Path, n: int) -> None:
    from fieldapp import create_app
    from fieldapp.accounts.models import Role
    from fieldapp.extensions import db
    from fieldapp.records.models import Record
    from fieldapp.records.services import transition
    from fieldapp.records.states import Action
    from fieldapp.review.transfers import import_transfers
    from tests.support import databases
    from tests.support.builders import Builders, item

    app = create_app(databases.base_config(url, workdir))
    with app.app_context(), app.test_request_context():
        make = Builders(app)
        clerk, token = make.user(Role.CLERK), make.collector_token()
        for start in range(0, n, 100):  # the push limit per request
            batch = [item("birth", data=child(start + i)) for i in range(min(100, n - start))]
            assert make.push(token, batch).status_code == 200
        for record in db.session.scalars(db.select(Record)):
            transition(record, Action.START, clerk)
            transition(record, Action.VERIFY, clerk)
        db.session.commit()
        codes = list(db.session.scalars(db.select(Record.receipt_code)))
        text = "Mã biên nhận,Số đăng ký,Ngày đăng ký\n" + "".join(
            f"{code[:5]}-{code[5:]},{i}/2024/KS,02/01/2024\n" for i, code in enumerate(codes, start=1)
        )
        for label in ("first import", "same file again"):
            started = time.perf_counter()
            result = import_transfers(clerk, text)
            db.session.commit()
            seconds = time.perf_counter() - started
            print(
                f"{label}: {n} rows, {result.transferred} transferred, {result.unchanged} unchanged, "
                f"{seconds:.1f} s ({n / seconds:.0f} rows/s)"
            )


if __name__ == "__main__":
    main()
