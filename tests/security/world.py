"""A small world for access tests: users of every role in one province, and records in four places.

- "own": a collector's records in Mường Lát (the commune every commune-level user of the world has);
- "colleague": another collector's records in the same commune (staff see them, the collector does not);
- "sibling": records of Trung Lý, another commune of Thanh Hóa (province-level staff see them);
- "foreign": records of a commune of Hà Nội (nobody of the world sees them).

Every data set has its own names and ID numbers, so a leak is found by looking for them in a body.

Each commune also has a register book, a duplicate pair, a target, and each collector a quota and a pad.
And the world holds data that joins two communes, where leaks hide (see `_link_communes`): an own record
sharing a person's ID with a foreign record (a duplicate pair across communes), and an own record naming
the foreign photo's hash.
"""

import hashlib
import io
import json
import unicodedata
from dataclasses import dataclass, field
from datetime import date
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
    #: pairs of an own record with another commune's (own clerks may read, not resolve them)
    cross_pair_ids: list[int] = field(default_factory=list)
    #: the commune's target, the collector's quota and receipt pad (progress and receipts parts)
    target_ids: list[int] = field(default_factory=list)
    quota_ids: list[int] = field(default_factory=list)
    pad_ids: list[int] = field(default_factory=list)
    pad_codes: list[str] = field(default_factory=list)

    @property
    def pairs_to_read(self) -> list[int]:
        return [*self.cross_pair_ids, *self.pair_ids]

    @property
    def records_to_edit(self) -> list[str]:
        """The second record: the matrix moves the first along the state machine before it edits."""
        return self.record_ids[1:]

    #: a finished background job of its author (a batch of its receipts), with its PDF
    job_ids: list[str] = field(default_factory=list)

    def secrets(self) -> list[str]:
        """Strings that must not appear in a body shown to someone who may not see this data set."""
        codes = [*self.receipt_codes, *self.pad_codes]
        found = [*self.record_ids, *self.names, *self.personal_ids, *codes, *self.device_names]
        found += [display_code(code) for code in codes]
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

    def forbidden_secrets(self, role: str, except_for: tuple[str, ...] = ()) -> list[str]:
        return [s for name in FORBIDDEN[role] if name not in except_for for s in self.data[name].secrets()]

    def all_personal(self) -> list[str]:
        return [s for data_set in self.data.values() for s in data_set.personal()]


def _personal_id(prefix: str, sex: str, year: int, serial: int) -> str:
    century = {"male": 0, "female": 1}[sex] + (2 if year >= 2000 else 0)
    return f"{prefix}{century}{year % 100:02d}{serial:06d}"


def _png(label: str) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + label.encode() * 16


#: a child of the foreign household whose personal ID an own record carries too: a duplicate pair that
#: spans two communes. The ID itself is no secret (own staff read it on their own record), the names are.
SHARED_ID = _personal_id("001", "male", 2010, 999)
FOREIGN_CHILD = "Trần Văn Mười"
#: own records that reach into the foreign commune: one shares SHARED_ID, one names the foreign photo
LINK_NAMES = ("Quàng Văn Một", "Quàng Văn Hai")
CLAIM_NAME = "Quàng Thị Ba"


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
        _seed_progress_objects(data[name], commune, authors[name], seed_target=name != "colleague")
        _seed_job(make, data[name], authors[name])
    db.session.commit()
    _link_communes(make, tokens["collector"], data["own"], data["foreign"])
    return World(users, tokens, data)


def _seed_device(make: Builders, data_set: DataSet, author: User) -> None:
    from fieldapp.accounts.models import Device

    name = f"Máy của bộ dữ liệu {data_set.name}"
    make.token(author, device_name=name)
    data_set.device_ids.append(db.session.scalar(select(Device.id).where(Device.name == name)))
    data_set.device_names.append(name)


def _seed_progress_objects(data_set: DataSet, commune: str, author: User, *, seed_target: bool) -> None:
    """The commune's target, and the collector's weekly quota and a pad of two paper receipt codes."""
    from fieldapp.progress import services as progress
    from fieldapp.progress.models import AreaKind, Period
    from fieldapp.receipts.services import allocate_pad

    if seed_target:
        target = progress.set_target(AreaKind.COMMUNE, commune, 500, date(2026, 12, 31), None)
        data_set.target_ids.append(target.id)
    data_set.quota_ids.append(progress.set_quota(author, Period.WEEK, 20, None).id)
    pad, codes = allocate_pad(author, author, 2)
    data_set.pad_ids.append(pad.id)
    data_set.pad_codes += codes


def _link_communes(make: Builders, token: str, own: DataSet, foreign: DataSet) -> None:
    """Own records that join the foreign commune, pushed the way a clerk or collector could.

    The link record carries SHARED_ID, so duplicate detection pairs it with the foreign households; it
    becomes the first own record, so the matrix opens it, and it reads the cross pair's page. The claim
    record names the foreign photo's hash; whether the push accepts it is the server's business, what
    matters is that the photo stays the foreign commune's.
    """
    from fieldapp.review.models import DuplicatePair

    head_id = _personal_id("038", "male", 1975, 91)
    members = [
        {
            **person(full_name=LINK_NAMES[0], personal_id=head_id, date_of_birth="1975"),
            "relationship": "head",
        },
        {**_foreign_child(), "full_name": LINK_NAMES[1]},
    ]
    link = item("household", data={"commune_code": MUONG_LAT, "village": "Bản Nối", "members": members})
    [result] = make.push(token, [link]).get_json()["results"]
    assert result["status"] == "created", result
    own.record_ids.insert(0, result["id"])
    own.receipt_codes.insert(0, result["receipt_code"])
    own.names += LINK_NAMES
    own.personal_ids.append(head_id)
    crossing = db.session.scalars(
        select(DuplicatePair.id).where(
            (DuplicatePair.record_a == result["id"]) | (DuplicatePair.record_b == result["id"])
        )
    ).all()
    own.cross_pair_ids += sorted(crossing)
    claimer = {**person(full_name=CLAIM_NAME, sex="female"), "relationship": "head"}
    del claimer["personal_id"]
    claim = item("household", data={"commune_code": MUONG_LAT, "village": "Bản Nối", "members": [claimer]})
    make.push(token, [{**claim, "attachments": foreign.attachments[:1]}])
    own.names.append(CLAIM_NAME)


def _foreign_child() -> dict[str, Any]:
    child = person(full_name=FOREIGN_CHILD, date_of_birth="2010-05-01", personal_id=SHARED_ID)
    return {**child, "relationship": "child"}


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
    if name == "foreign":
        members.append(_foreign_child())
        data_set.names.append(FOREIGN_CHILD)
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
    """The body as a person would read it: JSON without \\u escapes, HTML without entities, the text
    of a PDF and the cells of a workbook (both compressed, so a name inside is not in the raw bytes)."""
    raw = response.get_data()
    if response.mimetype == "application/pdf":
        return pdf_text(raw)
    if response.mimetype == XLSX:
        return xlsx_text(raw)
    if response.is_json:
        try:
            return json.dumps(json.loads(raw), ensure_ascii=False)
        except ValueError:
            pass
    return unescape(raw.decode("utf-8", errors="replace"))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def pdf_text(body: bytes) -> str:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(body)
    try:
        return unicodedata.normalize(
            "NFC", "\n".join(page.get_textpage().get_text_range() for page in document)
        )
    finally:
        document.close()


def xlsx_text(body: bytes) -> str:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(body), read_only=True)
    cells = [
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    workbook.close()
    return "\n".join(cells)
