"""Push and pull: the device contract's rules. Idempotent by record UUID; a bad record blocks no other."""

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import bindparam, select, update

from fieldapp.accounts.models import Device, Role, User
from fieldapp.accounts.scope import covers
from fieldapp.bulkwrite import Rows, insert_new
from fieldapp.extensions import db
from fieldapp.progress.counters import count_collected
from fieldapp.receipts import services as receipts
from fieldapp.receipts.codes import new_code
from fieldapp.receipts.models import ReceiptCode
from fieldapp.records import services as records
from fieldapp.records.audit import AuditEntry, audit_row, record_audit
from fieldapp.records.models import Record, RecordAttachment, RecordPerson, RecordVersion, Source
from fieldapp.records.states import COLLECTOR_EDITABLE, Action, State
from fieldapp.registry import capture
from fieldapp.review.duplicates import NewPerson, flag_duplicates
from fieldapp.sync.areas import provinces_of
from fieldapp.sync.attachments import user_may_attach
from fieldapp.sync.schemas import InvalidItem
from fieldapp.timeutil import utcnow

#: who may push records (and so send a new version of a household from the registry)
PUSH_ROLES = (Role.COLLECTOR, Role.CLERK)


@dataclass
class Batch:
    """One push being processed: its caller, its items and the answer for each, in order."""

    user: User
    device: Device | None
    source: Source
    items: list[Any]
    results: list[dict[str, Any] | None] = field(default_factory=list)
    #: who the records created by this push name, for the duplicate check (saves reading them back)
    created_people: list[NewPerson] = field(default_factory=list)
    #: records this push changed: checked for duplicates again, like arriving ones
    updated: list[str] = field(default_factory=list)
    #: the rows of the records this push inserted
    inserted: list[dict[str, Any]] = field(default_factory=list)

    def answer(self, index: int, item_id: str | None, status: str, **extra: Any) -> None:
        self.results[index] = {
            "id": item_id,
            "status": status,
            **{k: v for k, v in extra.items() if v is not None},
        }

    def invalid(self, index: int, item_id: str | None, errors: dict[str, list[str]]) -> None:
        self.answer(index, item_id, "invalid", errors=errors)


def push_batch(
    user: User, device: Device | None, items: list[Any], *, source: Source = Source.FIELD
) -> list[dict[str, Any]]:
    """Store what is new, update what was edited, answer each record. Flushes, never commits."""
    batch = Batch(user, device, source, items, [None] * len(items))
    candidates = _drop_invalid_and_repeats(batch)
    candidates = _check_areas(batch, candidates)
    candidates = _check_attachments(batch, candidates)
    fresh = _push_edits(batch, candidates)
    _create(batch, _check_receipt_codes(batch, fresh))
    flag_duplicates(batch.created_people)
    flag_duplicates(batch.updated)
    # last: every push of the province adds to the same counter rows, and holds them until it commits
    count_collected(batch.inserted)
    _answer_repeats(batch)
    db.session.flush()
    return [result for result in batch.results if result is not None]


def _drop_invalid_and_repeats(batch: Batch) -> list[tuple[int, dict[str, Any]]]:
    candidates, first_of = [], {}
    for index, item in enumerate(batch.items):
        if isinstance(item, InvalidItem):
            batch.invalid(index, item.id, item.errors)
        elif item["id"] in first_of:
            batch.results[index] = {"repeat_of": first_of[item["id"]], "id": item["id"]}
        else:
            first_of[item["id"]] = index
            candidates.append((index, item))
    return candidates


def _answer_repeats(batch: Batch) -> None:
    """The same UUID twice in one batch: the second gets the first one's answer."""
    for index, result in enumerate(batch.results):
        if result is not None and "repeat_of" in result:
            first = dict(batch.results[result["repeat_of"]] or {})
            if first.get("status") in ("created", "updated"):
                first["status"] = "duplicate"
            batch.results[index] = first


def _check_areas(
    batch: Batch, candidates: list[tuple[int, dict[str, Any]]]
) -> list[tuple[int, dict[str, Any]]]:
    provinces = provinces_of({item["data"]["commune_code"] for _, item in candidates})
    kept = []
    for index, item in candidates:
        code = item["data"]["commune_code"]
        province = provinces.get(code)
        if province is None:
            batch.invalid(
                index, item["id"], {"data.commune_code": [_("Không có xã nào mã %(code)s.", code=code)]}
            )
        elif not covers(batch.user, province, code):
            message = _("Xã mã %(code)s không thuộc địa bàn được giao cho bạn.", code=code)
            batch.invalid(index, item["id"], {"data.commune_code": [message]})
        else:
            item["province_code"] = province
            kept.append((index, item))
    return kept


def _check_attachments(
    batch: Batch, candidates: list[tuple[int, dict[str, Any]]]
) -> list[tuple[int, dict[str, Any]]]:
    """A record may name only files its user uploaded whole, or that a record they may see already
    names: knowing a hash (from a URL, a log) must not make someone else's photo visible."""
    named = {sha for _, item in candidates for sha in item.get("attachments") or []}
    allowed = user_may_attach(batch.user, named)
    kept = []
    for index, item in candidates:
        foreign = [sha for sha in item.get("attachments") or [] if sha not in allowed]
        if foreign:
            message = _(
                "%(n)s ảnh chưa được tải lên từ tài khoản này; hãy đồng bộ lại để gửi ảnh trước hồ sơ.",
                n=len(foreign),
            )
            batch.invalid(index, item["id"], {"attachments": [message]})
        else:
            kept.append((index, item))
    return kept


def _push_edits(
    batch: Batch, candidates: list[tuple[int, dict[str, Any]]]
) -> list[tuple[int, dict[str, Any]]]:
    """Items naming the version they edit go to their stored record. The others are most likely new and
    are inserted without a lookup: one stored before comes back from the insert as not inserted and is
    answered as existing then (_create), so a new record costs no SELECT."""
    edits = _existing_records([item["id"] for _, item in candidates if item.get("base_version") is not None])
    fresh = []
    for index, item in candidates:
        record = edits.get(item["id"])
        if record is None:
            fresh.append((index, item))
        else:
            _push_to_existing(batch, index, item, record)
    return fresh


def _existing_records(ids: list[str]) -> dict[str, Record]:
    """The records already stored (not locked: an update is guarded by its version, see Record)."""
    if not ids:
        return {}
    query = select(Record).where(Record.id.in_(ids))
    return {r.id: r for r in db.session.scalars(query, execution_options={"populate_existing": True})}


def _push_to_existing(batch: Batch, index: int, item: dict[str, Any], record: Record) -> None:
    new_hash = records.content_hash(item["type"], item["data"])
    if record.captured_by_id != batch.user.id or record.type is not item["type"]:
        batch.invalid(index, item["id"], {"id": [_("Mã hồ sơ này đã được dùng cho một hồ sơ khác.")]})
        return
    current = {"receipt_code": record.receipt_code, "version": record.version}
    if record.content_hash == new_hash:
        batch.answer(index, record.id, "duplicate", state=record.state.value, **current)
        return
    if item.get("base_version") != record.version or record.state not in COLLECTOR_EDITABLE:
        batch.answer(index, record.id, "conflict", state=record.state.value, **current)
        return
    records.replace_data(
        record, item["data"], batch.user, device_id=batch.device.id if batch.device else None, source="push"
    )
    record_audit(
        "record.update",
        "record",
        record.id,
        actor_id=batch.user.id,
        device_id=_device_id(batch),
        detail={"version": record.version},
    )
    batch.updated.append(record.id)
    if record.state is State.RETURNED:
        records.transition(record, Action.RESUBMIT, batch.user)
    batch.answer(
        index,
        record.id,
        "updated",
        receipt_code=record.receipt_code,
        version=record.version,
        state=record.state.value,
    )


def _device_id(batch: Batch) -> int | None:
    return batch.device.id if batch.device else None


def _check_receipt_codes(
    batch: Batch, fresh: list[tuple[int, dict[str, Any]]]
) -> list[tuple[int, dict[str, Any]]]:
    """A code a record carries must be the same user's, from a device's pool or a paper pad, and unused."""
    known = receipts.pool_codes({item["receipt_code"] for _, item in fresh if item.get("receipt_code")})
    kept, taken, refused = [], set(), []
    for index, item in fresh:
        code = item.get("receipt_code")
        if code:
            problem = receipts.code_problem(known.get(code), code, batch.user.id, item["id"], code in taken)
            if problem:
                refused.append((index, item, problem))
                continue
            taken.add(code)
        kept.append((index, item))
    # a record stored before is answered as such, as when it was looked up first (its code was checked
    # when it arrived); only a new record is invalid for its code
    stored = _existing_records([item["id"] for _, item, _ in refused])
    for index, item, problem in refused:
        if item["id"] in stored:
            _push_to_existing(batch, index, item, stored[item["id"]])
        else:
            batch.invalid(index, item["id"], {"receipt_code": [problem]})
    return kept


def _create(batch: Batch, fresh: list[tuple[int, dict[str, Any]]]) -> None:
    """Insert the new records with all they bring (one statement on PostgreSQL); one that another push
    stored meanwhile is answered as existing."""
    if not fresh:
        return
    now = utcnow()
    codes = {item["id"]: item.get("receipt_code") or new_code() for _, item in fresh}
    # id order: two pushes overlapping on several records lock them in one order and cannot deadlock
    rows = sorted(
        (_record_row(batch, item, codes[item["id"]], now) for _, item in fresh), key=lambda r: r["id"]
    )
    people = {item["id"]: _people_rows(item) for _, item in fresh}
    items = [item for _, item in fresh]
    brought = _dependent_rows(batch, items, people, codes, now)
    inserted = insert_new(Record.__tablename__, rows, "id", then=brought)
    new_rows = [row for row in rows if row["id"] in inserted]
    batch.inserted += new_rows
    capture.records_inserted(db.session, new_rows)
    won = [(index, item) for index, item in fresh if item["id"] in inserted]
    for index, item in won:
        batch.created_people += [NewPerson.of(row, item) for row in people[item["id"]]]
        answer = {"receipt_code": codes[item["id"]], "version": 1, "state": State.SUBMITTED.value}
        batch.answer(index, item["id"], "created", **answer)
    _mark_codes_used([item for _, item in won if item.get("receipt_code")], now)
    lost = [(index, item) for index, item in fresh if item["id"] not in inserted]
    existing = _existing_records([item["id"] for _, item in lost])
    for index, item in lost:
        _push_to_existing(batch, index, item, existing[item["id"]])


def _people_rows(item: dict[str, Any]) -> list[dict[str, Any]]:
    return [{**p, "record_id": item["id"]} for p in records.people_of(item["type"], item["data"])]


def _dependent_rows(
    batch: Batch,
    items: list[dict[str, Any]],
    people: dict[str, list[dict[str, Any]]],
    codes: dict[str, str],
    now: Any,
) -> list[Rows]:
    """What a new record brings: people, first version, attachment links, audit entry, the receipt code
    the server drew. Each row names its record, so only the records really inserted bring theirs."""
    version_rows, audit_rows, links, server_codes = [], [], [], {}
    for item in items:
        record_id = item["id"]
        if not item.get("receipt_code"):
            server_codes[record_id] = codes[record_id]
        version_rows.append(
            {
                "record_id": record_id,
                "version": 1,
                "data": item["data"],
                "created_at": now,
                "created_by_id": batch.user.id,
                "device_id": _device_id(batch),
                "source": batch.source.value,
            }
        )
        audit_rows.append(
            audit_row(
                "record.create",
                "record",
                record_id,
                actor_id=batch.user.id,
                device_id=_device_id(batch),
                detail={"type": item["type"].value},
            )
        )
        links += [
            {"record_id": record_id, "sha256": sha} for sha in dict.fromkeys(item.get("attachments") or [])
        ]
    return [
        Rows(RecordPerson.__tablename__, [row for rows in people.values() for row in rows], link="record_id"),
        Rows(RecordVersion.__tablename__, version_rows, link="record_id"),
        Rows(RecordAttachment.__tablename__, links, link="record_id"),
        Rows(AuditEntry.__tablename__, audit_rows, link="entity_id"),
        Rows(
            ReceiptCode.__tablename__,
            receipts.server_code_rows(server_codes, batch.user.id),
            link="record_id",
        ),
    ]


def _record_row(batch: Batch, item: dict[str, Any], code: str, now: Any) -> dict[str, Any]:
    return {
        "id": item["id"],
        "type": item["type"],
        "state": State.SUBMITTED,
        "version": 1,
        "source": batch.source,
        "province_code": item["province_code"],
        **records.derived_columns(item["type"], item["data"]),
        "data": item["data"],
        "receipt_code": code,
        "captured_at": item["captured_at"],
        "received_at": now,
        "updated_at": now,
        "captured_by_id": batch.user.id,
        "device_id": _device_id(batch),
    }


def _mark_codes_used(items: list[dict[str, Any]], now: Any) -> None:
    """The pool or pad codes the records just created carry are used now, by them."""
    if not items:
        return
    pooled = [{"b_code": item["receipt_code"], "b_record": item["id"]} for item in items]
    statement = (
        update(ReceiptCode.__table__)
        .where(ReceiptCode.__table__.c.code == bindparam("b_code"))
        .values(used_at=now, record_id=bindparam("b_record"))
    )
    db.session.execute(statement, pooled)
