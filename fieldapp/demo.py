"""A demo data set a Thanh Hóa official recognises: mountain communes, their ethnic groups, real-looking work.

Records go through the same push rules as a phone's, so the demo exercises the product, not a shortcut.
"""

import random
import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from fieldapp.accounts import services as accounts
from fieldapp.accounts.models import Role, User
from fieldapp.extensions import db
from fieldapp.records import services as records
from fieldapp.records.models import Record
from fieldapp.records.states import Action
from fieldapp.sync.schemas import load_push_items
from fieldapp.sync.services import push_batch
from fieldapp.timeutil import utcnow

PASSWORD = "lua-chin-vang-dong"
PROVINCE = "38"  # Thanh Hóa

#: commune code -> (villages, ethnic groups living there, weighted)
COMMUNES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "14845": (("Bản Lát", "Bản Pù Toong", "Bản Ón", "Bản Con Cha"), ("08", "08", "03")),  # Mường Lát
    "14857": (("Bản Tà Com", "Bản Pá Búa", "Bản Cá Nọi"), ("08", "03", "03")),  # Trung Lý
    "14923": (("Thôn Lũng Niêm", "Bản Kho Mường", "Bản Đôn"), ("06", "06", "03")),  # Bá Thước
    "16093": (("Thôn Trung Hậu", "Thôn Tam Linh", "Thôn Mai An"), ("01",)),  # Nga Sơn
}

NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "01": {
        "family": ("Nguyễn", "Lê", "Trần", "Phạm", "Hoàng", "Mai", "Đỗ", "Vũ"),
        "male": (
            "Văn An",
            "Văn Bình",
            "Đức Cường",
            "Văn Dũng",
            "Minh Đức",
            "Văn Hải",
            "Quang Huy",
            "Văn Nam",
            "Văn Phúc",
            "Văn Sơn",
            "Anh Tuấn",
            "Văn Thắng",
        ),
        "female": (
            "Thị Ánh",
            "Thị Hà",
            "Thị Hạnh",
            "Thị Hòa",
            "Thị Lan",
            "Thị Mai",
            "Thị Oanh",
            "Ngọc Thảo",
            "Thị Vân",
            "Thị Yến",
            "Thị Ân",
            "Thị Ăn",
        ),
    },
    "03": {
        "family": ("Lò", "Hà", "Vi", "Lường", "Ngân", "Phạm"),
        "male": ("Văn Pản", "Văn Xương", "Văn Ỏn", "Văn Khăm", "Văn Bun", "Văn Lả"),
        "female": ("Thị Ún", "Thị Pâng", "Thị Xoan", "Thị Ỏn", "Thị Bích", "Thị Lả"),
    },
    "06": {
        "family": ("Bùi", "Đinh", "Quách", "Hà", "Phạm"),
        "male": ("Văn Mọn", "Văn Thượng", "Văn Cương", "Văn Dũng", "Văn Lực"),
        "female": ("Thị Lụa", "Thị Hiền", "Thị Mến", "Thị Thơm", "Thị Nhàn"),
    },
    "08": {
        "family": ("Giàng", "Vàng", "Sùng", "Thào", "Hờ", "Lầu"),
        "male": ("A Páo", "Seo Chứ", "A Dế", "Mí Sình", "A Lử", "Seo Chá"),
        "female": ("Thị Mua", "Thị Dua", "Thị Sông", "Thị Chía", "Thị Pà", "Thị Máy"),
    },
}

TYPE_WEIGHTS = (("household", 55), ("birth", 25), ("death", 10), ("marriage", 10))


class DemoFactory:
    """Makes plausible people and records from one seeded random source."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.today = utcnow().date()

    def pick(self, options: tuple[str, ...] | list[str]) -> str:
        return self.rng.choice(list(options))

    def person(self, ethnicity: str, sex: str, born: int, *, family: str | None = None) -> dict[str, Any]:
        names = NAMES[ethnicity]
        given = self.pick(names[sex])
        if ethnicity == "08" and sex == "female":
            given = given.replace("Thị", self.pick(("Thị", "Mỷ")))
        person = {
            "full_name": f"{family or self.pick(names['family'])} {given}",
            "sex": sex,
            "date_of_birth": self.birth_date(born),
            "ethnicity": ethnicity,
            "nationality": "VN",
        }
        if born < 1950 and self.rng.random() < 0.4:
            person["date_of_birth"] = str(born)  # the old often know only the year
            if self.rng.random() < 0.5:
                person["dob_calendar"] = "lunar"
        if born <= self.today.year - 14 and self.rng.random() < 0.8:
            person["personal_id"] = self.personal_id(sex, born)
        return person

    def birth_date(self, year: int) -> str:
        month = self.rng.randint(1, 12 if year < self.today.year else max(1, self.today.month - 1))
        return f"{year}-{month:02d}-{self.rng.randint(1, 28):02d}"

    def personal_id(self, sex: str, born: int) -> str:
        century = (born // 100 - 19) * 2 + (1 if sex == "female" else 0)
        return f"038{century}{born % 100:02d}{self.rng.randint(0, 999_999):06d}"

    def place(self, commune: str) -> dict[str, str]:
        return {"commune_code": commune, "village": self.pick(COMMUNES[commune][0])}

    def household(self, commune: str, ethnicity: str) -> dict[str, Any]:
        family = self.pick(NAMES[ethnicity]["family"])
        head_born = self.rng.randint(1945, 1995)
        members = [{**self.person(ethnicity, "male", head_born, family=family), "relationship": "head"}]
        members.append(
            {
                **self.person(ethnicity, "female", head_born + self.rng.randint(-3, 4)),
                "relationship": "spouse",
            }
        )
        for _ in range(self.rng.randint(0, 4)):
            born = min(self.today.year - 1, head_born + self.rng.randint(20, 32))
            child = self.person(ethnicity, self.pick(("male", "female")), born, family=family)
            members.append({**child, "relationship": "child"})
        return {**self.place(commune), "members": members}

    def birth(self, commune: str, ethnicity: str) -> dict[str, Any]:
        family = self.pick(NAMES[ethnicity]["family"])
        born = self.rng.randint(self.today.year - 6, self.today.year - 1)
        mother = self.person(ethnicity, "female", born - self.rng.randint(18, 35))
        father = self.person(ethnicity, "male", born - self.rng.randint(20, 40), family=family)
        return {
            **self.place(commune),
            "child": self.person(ethnicity, self.pick(("male", "female")), born, family=family),
            "place_of_birth": self.pick(("Trạm y tế xã", "Tại nhà", "Bệnh viện đa khoa huyện")),
            "mother": {k: mother[k] for k in ("full_name", "date_of_birth", "ethnicity", "nationality")},
            "father": {k: father[k] for k in ("full_name", "date_of_birth", "ethnicity", "nationality")},
        }

    def death(self, commune: str, ethnicity: str) -> dict[str, Any]:
        born = self.rng.randint(1925, 1960)
        died = self.rng.randint(max(born + 40, 2000), self.today.year - 1)
        data = {
            **self.place(commune),
            "deceased": self.person(ethnicity, self.pick(("male", "female")), born),
            "date_of_death": f"{died}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}",
            "place_of_death": "Tại nhà",
        }
        if self.rng.random() < 0.6:
            data["cause_of_death"] = self.pick(
                ("Già yếu", "Bệnh tim", "Tai biến mạch máu não", "Ung thư phổi")
            )
        return data

    def marriage(self, commune: str, ethnicity: str) -> dict[str, Any]:
        born = self.rng.randint(1975, 2002)
        wed = min(self.today.year - 1, born + self.rng.randint(19, 26))
        return {
            **self.place(commune),
            "husband": self.person(ethnicity, "male", born),
            "wife": self.person(ethnicity, "female", born + self.rng.randint(0, 4)),
            "marriage_date": f"{wed}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}",
        }

    def record(self, commune: str) -> dict[str, Any]:
        kind = self.rng.choices([t for t, _ in TYPE_WEIGHTS], [w for _, w in TYPE_WEIGHTS])[0]
        ethnicity = self.pick(COMMUNES[commune][1])
        data = getattr(self, kind)(commune, ethnicity)
        captured = utcnow() - timedelta(days=self.rng.randint(0, 45), minutes=self.rng.randint(0, 600))
        return {
            "id": str(uuid.UUID(int=self.rng.getrandbits(128), version=4)),
            "type": kind,
            "captured_at": captured.isoformat() + "+00:00",
            "data": data,
        }


def _users(hash_method: str) -> dict[str, User]:
    plan = [
        ("admin", Role.ADMIN, None, "Quản trị hệ thống"),
        ("quanly", Role.MANAGER, PROVINCE, "Sở Tư pháp Thanh Hóa"),
    ]
    for n, commune in enumerate(COMMUNES, start=1):
        plan.append((f"canbo{n}", Role.CLERK, commune, f"Công chức tư pháp - hộ tịch {n}"))
        plan.append((f"thuthap{n}", Role.COLLECTOR, commune, f"Cán bộ thu thập {n}"))
    return {
        username: accounts.create_user(
            username, PASSWORD, role, area, full_name=name, hash_method=hash_method
        )
        for username, role, area, name in plan
    }


def load_demo(
    records: int = 300, seed: int = 2024, hash_method: str = "scrypt", campaign_scale: float = 1.0
) -> dict[str, Any]:
    """Create users and records (caller commits). Returns the logins and counts."""
    factory = DemoFactory(seed)
    users = _users(hash_method)
    for n, commune in enumerate(COMMUNES, start=1):
        collector = users[f"thuthap{n}"]
        device, _ = accounts.issue_device(collector, "Điện thoại demo", timedelta(days=30))
        raw = [factory.record(commune) for _ in range(records // len(COMMUNES))]
        push_batch(collector, device, load_push_items(raw))
        _advance_states(factory, users[f"canbo{n}"], commune)
    from fieldapp.progress.demo import load_demo_targets  # the campaign story: targets, quotas, weeks of work

    load_demo_targets(users, factory, scale=campaign_scale)
    return {
        "records": records // len(COMMUNES) * len(COMMUNES),
        "communes": list(COMMUNES),
        "users": [(u.username, u.role.value, u.area_code or "-") for u in users.values()],
    }


def _advance_states(factory: DemoFactory, clerk: User, commune: str) -> None:
    """Move part of a commune's work along, as a few weeks of review would have."""
    found = db.session.scalars(select(Record).where(Record.commune_code == commune).order_by(Record.id))
    for record in found:
        roll = factory.rng.random()
        if roll < 0.45:
            continue
        records.transition(record, Action.START, clerk)
        if roll < 0.52:
            records.transition(
                record, Action.RETURN, clerk, comment="Thiếu ảnh trang sổ hộ tịch; đề nghị chụp bổ sung."
            )
        elif roll < 0.55:
            records.transition(record, Action.REJECT, clerk, comment="Trùng với hồ sơ đã nhập trước.")
        elif roll > 0.62:
            records.transition(record, Action.VERIFY, clerk)
            if roll > 0.8:
                record.registration_number = f"{factory.rng.randint(1, 400)}/{record.received_at.year}"
                record.registration_date = record.received_at.date()
                records.transition(record, Action.TRANSFER, clerk)
