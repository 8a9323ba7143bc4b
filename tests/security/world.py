"""A small world for access tests: users of every role in one province, and records in four places.

- "own": a collector's records in Mường Lát (the commune every commune-level user of the world has);
- "colleague": another collector's records in the same commune (staff see them, the collector does not);
- "sibling": records of Trung Lý, another commune of Thanh Hóa (province-level staff see them);
- "foreign": records of a commune of Hà Nội (nobody of the world sees them).

Every data set has its own names and ID numbers, so a leak is found by looking for them in a body.
"""

import hashlib
import json
from dataclasses import dataclass, field
from html import unescape
from typing import Any

from sqlalchemy import select

from fieldapp.accounts.models import Role, User
from fieldapp.extensions import db
from fieldapp.receipts.codes import display_code
from fieldapp.records.models import Record
from fieldapp.vn.text import fold
from tests.support.builders import HA_NOI_COMMUNE, MUONG_LAT, THANH_HOA, TRUNG_LY, Builders, item, person

ROLES = ("anonymous", "collector", "clerk", "manager", "admin")
#: which data sets each role must never see
FORBIDDEN = {
    "anonymous": ("own", "colleague", "sibling", "foreign"),
    "collector": ("colleague", "sibling", "foreign"),
    "clerk": ("sibling", "foreign"),
    "manager": ("foreign",),
    "admin": ("foreign",),
}
#: (commune, province ID prefix, names of head / spouse) per data set; the names appear nowhere else
DATA_SETS = {
    "own": (MUONG_LAT, "038", ("Lường Văn Sáu", "Lò Thị Sương")),
    "colleague": (MUONG_LAT, "038", ("Hà Văn Bảy", "Cầm Thị Bích")),
    "sibling": (TRUNG_LY, "038", ("Phạm Văn Tám", "Vi Thị Tuyết")),
    "foreign": (HA_NOI_COMMUNE, "001", ("Trần Văn Chín", "Đỗ Thị Ngân")),
}
#: pre-2025 districts: Mường Lát (Thanh Hóa) and Ba Đình (Hà Nội); Trung Lý was in Mường Lát too
DISTRICTS = {"own": "384", "foreign": "001"}


@dataclass
class DataSet:
    name: str
    record_ids: list[str] = field(default_factory=list)
    receipt_codes: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    personal_ids: list[str] = field(default_factory=list)
    communes: list[str] = field(default_factory=list)
    #: the pre-2025 district, where it tells this data set apart from "own"
    districts: list[str] = field(default_factory=list)
    #: the collector who pushed it
    author_ids: list[int] = field(default_factory=list)
    #: a register book of its commune and a duplicate pair of its records (review part)
    book_ids: list[int] = field(default_factory=list)
    pair_ids: list[int] = field(default_factory=list)
    #: a phone of its collector (not the one the matrix calls with) and its name (the device page)
    device_ids: list[int] = field(default_factory=list)
    device_names: list[str] = field(default_factory=list)
    #: a finished background job of its author (a batch of its receipts), with its PDF
    job_ids: list[str] = field(default_factory=list)

    def secrets(self) -> list[str]:
        """Strings that must not appear in a body shown to someone who may not see this data set."""
        found = [*self.record_ids, *self.names, *self.personal_ids, *self.receipt_codes, *self.device_names]
        found += [display_code(code) for code in self.receipt_codes]
        found += [fold(name) for name in self.names]
        return found

    def personal(self) -> list[str]:
        """Personal data: never on a public page, whoever's it is."""
        return [*self.names, *self.personal_ids, *(fold(n) for n in self.names)]


@dataclass
class World:
    users: dict[str, User]
    tokens: dict[str, str]
    data: dict[str, DataSet]

    def forbidden_secrets(self, role: str) -> list[str]:
        return [s for name in FORBIDDEN[role] for s in self.data[name].secrets()]

    def all_personal(self) -> list[str]:
        return [s for data_set in self.data.values() for s in data_set.personal()]


def _personal_id(prefix: str, sex: str, year: int, serial: int) -> str:
    century = {"male": 0, "female": 1}[sex] + (2 if year >= 2000 else 0)
    return f"{prefix}{century}{year % 100:02d}{serial:06d}"


def _png(label: str) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + label.encode() * 16


def build_world(make: Builders) -> World:
    users = {
        "collector": make.user(Role.COLLECTOR, MUONG_LAT, username="matrix-collector"),
        "clerk": make.user(Role.CLERK, MUONG_LAT, username="matrix-clerk"),
        "manager": make.user(Role.MANAGER, THANH_HOA, username="matrix-manager"),
        "admin": make.user(Role.ADMIN, THANH_HOA, username="matrix-admin"),
    }
    tokens = {role: make.token(user) for role, user in users.items()}
    authors = {"own": users["collector"]}
    for name, commune in (("colleague", MUONG_LAT), ("sibling", TRUNG_LY), ("foreign", HA_NOI_COMMUNE)):
        authors[name] = make.user(Role.COLLECTOR, commune)
    author_tokens = {
        name: tokens["collector"] if name == "own" else make.token(u) for name, u in authors.items()
    }
    data = {}
    for serial, (name, (commune, prefix, (head, spouse))) in enumerate(DATA_SETS.items(), start=1):
        data[name] = _push_data_set(make, author_tokens[name], name, commune, prefix, head, spouse, serial)
        data[name].communes.append(commune)
        data[name].districts += [DISTRICTS[name]] if name in DISTRICTS else []
        data[name].author_ids.append(authors[name].id)
        _seed_review_objects(data[name], commune, authors[name].id)
        _seed_device(make, data[name], authors[name])
        _seed_job(make, data[name], authors[name])
    db.session.commit()
    return World(users, tokens, data)


def _seed_device(make: Builders, data_set: DataSet, author: User) -> None:
    from fieldapp.accounts.models import Device

    name = f"Máy của bộ dữ liệu {data_set.name}"
    make.token(author, device_name=name)
    data_set.device_ids.append(db.session.scalar(select(Device.id).where(Device.name == name)))
    data_set.device_names.append(name)


def _seed_job(make: Builders, data_set: DataSet, author: User) -> None:
    """The author prints a batch of the data set's receipts as a background job, which runs to the end."""
    from fieldapp.jobs.queue import run_queued_jobs
    from fieldapp.jobs.services import submit

    with make.app.test_request_context():
        job = submit(author, "receipts.batch", {"query": {}, "base_url": "http://fieldapp.test/"}, "vi")
    db.session.commit()
    assert run_queued_jobs(make.app) == 1
    db.session.expire_all()
    assert job.state.value == "done" and job.filename, job.failure
    data_set.job_ids.append(job.id)


def _seed_review_objects(data_set: DataSet, commune: str, author_id: int) -> None:
    """A register book and a duplicate pair in the data set's commune, for the review routes."""
    from fieldapp.records.models import RecordType
    from fieldapp.review.models import DuplicatePair, RegisterBook

    province = "01" if commune == HA_NOI_COMMUNE else THANH_HOA
    book = RegisterBook(
        province_code=province,
        commune_code=commune,
        type=RecordType.BIRTH,
        year=2001,
        book_number=f"{data_set.name}-1",
        created_by_id=author_id,
    )
    db.session.add(book)
    first, second = sorted(data_set.record_ids[:2])
    pair = db.session.scalar(
        select(DuplicatePair).where(DuplicatePair.record_a == first, DuplicatePair.record_b == second)
    )
    if pair is None:
        pair = DuplicatePair(
            record_a=first,
            record_b=second,
            commune_code=commune,
            province_code=province,
            reason="personal_id",
            score=100.0,
        )
        db.session.add(pair)
    db.session.flush()
    data_set.book_ids.append(book.id)
    data_set.pair_ids.append(pair.id)


def _push_data_set(
    make: Builders, token: str, name: str, commune: str, prefix: str, head: str, spouse: str, serial: int
) -> DataSet:
    data_set = DataSet(name, names=[head, spouse])
    picture = _png(f"scan of {name}")
    sha = hashlib.sha256(picture).hexdigest()
    upload = make.client.put(
        f"/api/v1/attachments/{sha}",
        data=picture,
        headers=make.headers(token, **{"Content-Type": "image/png"}),
    )
    assert upload.status_code == 201, upload.get_data(as_text=True)
    data_set.attachments.append(sha)
    head_id = _personal_id(prefix, "male", 1980, serial * 10 + 1)
    spouse_id = _personal_id(prefix, "female", 1983, serial * 10 + 2)
    data_set.personal_ids += [head_id, spouse_id]
    members = [
        {**person(full_name=head, personal_id=head_id), "relationship": "head"},
        {
            **person(full_name=spouse, sex="female", date_of_birth="1983", personal_id=spouse_id),
            "relationship": "spouse",
        },
    ]
    household = item("household", data={"commune_code": commune, "village": "Bản Thử", "members": members})
    household["attachments"] = [sha]
    again = item("household", data={**household["data"], "village": "Bản Thử 2"})  # the same people twice
    response = make.push(token, [household, again])
    results = response.get_json()["results"]
    assert [r["status"] for r in results] == ["created", "created"], results
    data_set.record_ids += [r["id"] for r in results]
    data_set.receipt_codes += [r["receipt_code"] for r in results]
    record = db.session.get(Record, results[0]["id"])
    assert record is not None and record.commune_code == commune
    return data_set


def readable_body(response: Any) -> str:
    """The body as a person would read it: JSON without \\u escapes, HTML without entities."""
    raw = response.get_data()
    if response.is_json:
        try:
            return json.dumps(json.loads(raw), ensure_ascii=False)
        except ValueError:
            pass
    return unescape(raw.decode("utf-8", errors="replace"))
