"""The records of bench/queue_bench.py (and bench/preload.py): 1,000,000 plausible records of Thanh Hóa's
communes (Kinh, Mường, Thái and H'Mông names; the usual mix of types and states; two collectors per
commune), generated from one seed and bulk-inserted with SQLAlchemy Core, on SQLite or PostgreSQL.

The database is kept in the work folder (SQLite) or as its own PostgreSQL database, and reused by the
next run of the same size.
"""

import hashlib
import random
import sys
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from sqlalchemy import func, insert, select, text  # noqa: E402

from fieldapp import create_app  # noqa: E402
from fieldapp.accounts.models import Role  # noqa: E402
from fieldapp.extensions import db  # noqa: E402
from fieldapp.receipts.codes import new_code  # noqa: E402
from fieldapp.records.models import Record, RecordPerson, RecordType, Source  # noqa: E402
from fieldapp.records.states import State  # noqa: E402
from fieldapp.vn.models import AdminUnit  # noqa: E402
from fieldapp.vn.text import fold, name_sort_key  # noqa: E402
from tests.support import databases  # noqa: E402

PROVINCE = "38"  # Thanh Hóa
PASSWORD = "bench-password"
CHUNK = 5000

# Family names with their rough share in Thanh Hóa (Kinh majority; Mường, Thái, H'Mông in the hills).
FAMILY = {
    "Nguyễn": 30, "Lê": 12, "Trần": 8, "Phạm": 7, "Hoàng": 4, "Mai": 3, "Đỗ": 3, "Vũ": 3, "Bùi": 3,
    "Đinh": 2, "Trịnh": 3, "Hà": 2, "Lò": 1, "Lường": 1, "Vi": 1, "Quách": 1, "Ngô": 2, "Đặng": 2,
    "Cao": 1, "Lại": 1, "Giàng": 1, "Vàng": 1, "Thào": 1, "Sùng": 1,
}  # fmt: skip
MIDDLE = {
    "male": ["Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Đình", "Ngọc", "Thanh", "A"],
    "female": ["Thị", "Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Hồng", "Mỹ", "Phương"],
}


def _words(names: str) -> list[str]:
    return names.split()


GIVEN = {
    "male": _words(
        "An Bình Cường Dũng Đức Giang Hải Hiếu Hoàng Hùng Huy Khánh Long Mạnh Nam Phong Phúc Quân Sơn "
        "Tài Thắng Thành Trung Tuấn Tùng Việt Vinh Páo Pản Chứ Lử"
    ),
    "female": _words(
        "Anh Ánh Bích Chi Dung Dương Giang Hà Hạnh Hằng Hiền Hoa Hòa Hương Lan Liên Linh Loan Mai "
        "Ngọc Nhung Oanh Phương Quỳnh Thảo Thơm Trang Vân Yến Ún Mua Pâng"
    ),
}
VILLAGES = [f"Thôn {n}" for n in ("Đông", "Tây", "Nam", "Bắc", "Trung", "Thượng", "Hạ")] + [
    f"Bản {n}" for n in ("Lát", "Ón", "Pù Toong", "Con Cha", "Tà Com", "Pá Búa", "Kho Mường")
]
STATES = [State.SUBMITTED] * 45 + [State.IN_REVIEW] * 10 + [State.VERIFIED] * 20 + [State.TRANSFERRED] * 20
STATES += [State.RETURNED] * 3 + [State.REJECTED] * 2
TYPES = [RecordType.HOUSEHOLD] * 55 + [RecordType.BIRTH] * 25 + [RecordType.DEATH] * 10
TYPES += [RecordType.MARRIAGE] * 10


class Generator:
    """Plausible people and records from one seeded random source; rows for SQLAlchemy Core inserts."""

    def __init__(self, seed: int, communes: list[str], collectors: dict[str, list[int]]) -> None:
        self.rng = random.Random(seed)
        self.communes = communes
        self.collectors = collectors
        self.families = list(FAMILY)
        self.weights = list(FAMILY.values())
        self.now = datetime(2025, 12, 1)

    def name(self, sex: str, family: str | None = None) -> str:
        family = family or self.rng.choices(self.families, self.weights)[0]
        middle = self.rng.choice(MIDDLE[sex])
        if self.rng.random() < 0.15:
            middle += " " + self.rng.choice(MIDDLE[sex])
        return f"{family} {middle} {self.rng.choice(GIVEN[sex])}"

    def person(self, role: str, sex: str, born: int, family: str | None = None) -> dict[str, Any]:
        day = f"{born}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"
        adult = born < 2010 and self.rng.random() < 0.8
        century = (born // 100 - 19) * 2 + (1 if sex == "female" else 0)
        return {
            "full_name": self.name(sex, family),
            "sex": sex,
            "date_of_birth": day,
            "ethnicity": "01",
            "personal_id": f"038{century}{born % 100:02d}{self.rng.randint(0, 999_999):06d}"
            if adult
            else None,
            "role": role,
        }

    def people(self, kind: RecordType) -> list[dict[str, Any]]:
        rng = self.rng
        if kind is RecordType.HOUSEHOLD:
            head_born = rng.randint(1945, 1998)
            head = self.person("head", "male", head_born)
            family = head["full_name"].split()[0]
            members = [head, self.person("member", "female", head_born + rng.randint(-3, 4))]
            for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
                sex = rng.choice(("male", "female"))
                members.append(self.person("member", sex, min(2024, head_born + rng.randint(20, 32)), family))
            return members
        if kind is RecordType.BIRTH:
            born = rng.randint(2018, 2024)
            father = self.person("father", "male", born - rng.randint(22, 40))
            child = self.person("child", rng.choice(("male", "female")), born, father["full_name"].split()[0])
            return [child, self.person("mother", "female", born - rng.randint(18, 35)), father]
        if kind is RecordType.DEATH:
            return [self.person("deceased", rng.choice(("male", "female")), rng.randint(1925, 1965))]
        born = rng.randint(1975, 2002)
        return [self.person("husband", "male", born), self.person("wife", "female", born + rng.randint(0, 4))]

    def record(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        rng = self.rng
        kind = rng.choice(TYPES)
        commune = rng.choice(self.communes)
        village = rng.choice(VILLAGES)
        people = self.people(kind)
        record_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        subject = people[0]["full_name"]
        if kind is RecordType.MARRIAGE:
            subject = f"{people[0]['full_name']} & {people[1]['full_name']}"
        captured = self.now - timedelta(days=rng.randint(0, 180), minutes=rng.randint(0, 900))
        state = rng.choice(STATES)
        data = {"commune_code": commune, "village": village, "people": [_public(p) for p in people]}
        row = {
            "id": record_id,
            "type": kind,
            "state": state,
            "version": 1,
            "source": Source.FIELD,
            "province_code": PROVINCE,
            "commune_code": commune,
            "village": village,
            "subject_name": subject,
            "subject_sort_key": name_sort_key(people[0]["full_name"]),
            "data": data,
            "content_hash": hashlib.sha256(record_id.encode()).hexdigest(),
            "receipt_code": new_code(),
            "captured_at": captured,
            "received_at": captured + timedelta(hours=rng.randint(1, 72)),
            "updated_at": captured + timedelta(hours=rng.randint(1, 72)),
            "captured_by_id": rng.choice(self.collectors[commune]),
            "registration_number": f"{rng.randint(1, 999)}/2025" if state is State.TRANSFERRED else None,
        }
        mother = next((fold(p["full_name"]) for p in people if p["role"] == "mother"), None)
        father = next((fold(p["full_name"]) for p in people if p["role"] == "father"), None)
        person_rows = [
            {
                "record_id": record_id,
                "position": position,
                "role": p["role"],
                "full_name": p["full_name"],
                "name_folded": fold(p["full_name"]),
                "personal_id": p["personal_id"],
                "sex": p["sex"],
                "date_of_birth": p["date_of_birth"],
                "birth_year": int(p["date_of_birth"][:4]),
                "mother_folded": mother if p["role"] == "child" else None,
                "father_folded": father if p["role"] == "child" else None,
            }
            for position, p in enumerate(people)
        ]
        return row, person_rows


def _public(person: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in person.items() if v is not None and k != "role"}


# ---------------------------------------------------------------------------------------------- database


def database_url(backend: str, workdir: Path, records: int) -> str:
    if backend == "sqlite":
        return f"sqlite:///{workdir / f'queue-{records}.sqlite3'}"
    admin = databases.POSTGRES_ADMIN_URL
    name = f"fieldapp_queue_bench_{records}"
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')
    return "postgresql+psycopg://" + admin.split("://", 1)[1].rsplit("/", 1)[0] + f"/{name}"


def config(url: str, workdir: Path) -> dict[str, Any]:
    return {
        **databases.base_config(url, workdir),
        "WTF_CSRF_ENABLED": False,
        "LOGIN_RATE_LIMIT": "100000/minute",
    }


def prepare(url: str, workdir: Path, records: int, seed: int, generator: type[Generator] = Generator) -> None:
    """Migrate, load units, create staff and collectors, then bulk-insert the records if not there yet."""
    from flask_migrate import upgrade

    from fieldapp.accounts import services as accounts
    from fieldapp.vn.units import load_units

    app = create_app(config(url, workdir))
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"), revision="heads")
        if db.session.scalar(select(func.count()).select_from(AdminUnit)) == 0:
            load_units(db.session)
            db.session.commit()
        have = db.session.scalar(select(func.count()).select_from(Record))
        if have >= records:
            print(f"reusing {have:,} records in {url.split('@')[-1]}")
            return
        if have:
            raise SystemExit(f"{url} holds {have} records, not {records}: remove it first")
        communes = list(
            db.session.scalars(
                select(AdminUnit.code).where(AdminUnit.province_code == PROVINCE).order_by(AdminUnit.code)
            )
        )
        collectors: dict[str, list[int]] = {}
        for code in communes:
            collectors[code] = [
                accounts.create_user(
                    f"tt{code}-{n}", PASSWORD, Role.COLLECTOR, code, hash_method="pbkdf2:sha256:1000"
                ).id
                for n in (1, 2)
            ]
        accounts.create_user("canbo", PASSWORD, Role.CLERK, communes[0], hash_method="pbkdf2:sha256:1000")
        accounts.create_user("quanly", PASSWORD, Role.MANAGER, PROVINCE, hash_method="pbkdf2:sha256:1000")
        db.session.commit()
        started = time.perf_counter()
        _bulk_insert(generator(seed, communes, collectors), records)
        took = time.perf_counter() - started
        print(f"generated {records:,} records over {len(communes)} communes in {took:.0f} s")


def _bulk_insert(generator: Generator, records: int) -> None:
    """SQLAlchemy Core executemany in chunks; the name-search index is rebuilt once at the end."""
    sqlite = db.engine.dialect.name == "sqlite"
    _drop_name_search(sqlite)
    with db.engine.begin() as conn:
        for done in range(0, records, CHUNK):
            rows, people = [], []
            for _ in range(min(CHUNK, records - done)):
                row, person_rows = generator.record()
                rows.append(row)
                people += person_rows
            conn.execute(insert(Record), rows)
            conn.execute(insert(RecordPerson), people)
            if done % 100_000 == 0:
                print(f"  {done:,} ...", flush=True)
    _create_name_search(sqlite)
    with db.engine.begin() as conn:
        conn.execute(text("ANALYZE"))


def _drop_name_search(sqlite: bool) -> None:
    with db.engine.begin() as conn:
        if sqlite:
            for suffix in ("ai", "ad", "au"):
                conn.execute(text(f"DROP TRIGGER IF EXISTS record_people_fts_{suffix}"))
        else:
            conn.execute(text("DROP INDEX IF EXISTS ix_record_people_name_trgm"))


def _create_name_search(sqlite: bool) -> None:
    with db.engine.begin() as conn:
        if sqlite:
            conn.execute(text("INSERT INTO record_people_fts(record_people_fts) VALUES ('rebuild')"))
            for statement in _sqlite_triggers():
                conn.execute(text(statement))
        else:
            conn.execute(
                text(
                    "CREATE INDEX ix_record_people_name_trgm ON record_people "
                    "USING gin (name_folded gin_trgm_ops)"
                )
            )


def _sqlite_triggers() -> list[str]:
    return [
        "CREATE TRIGGER record_people_fts_ai AFTER INSERT ON record_people BEGIN "
        "INSERT INTO record_people_fts(rowid, name_folded) VALUES (new.id, new.name_folded); END",
        "CREATE TRIGGER record_people_fts_ad AFTER DELETE ON record_people BEGIN "
        "INSERT INTO record_people_fts(record_people_fts, rowid, name_folded) "
        "VALUES ('delete', old.id, old.name_folded); END",
        "CREATE TRIGGER record_people_fts_au AFTER UPDATE OF name_folded ON record_people BEGIN "
        "INSERT INTO record_people_fts(record_people_fts, rowid, name_folded) "
        "VALUES ('delete', old.id, old.name_folded); "
        "INSERT INTO record_people_fts(rowid, name_folded) VALUES (new.id, new.name_folded); END",
    ]
