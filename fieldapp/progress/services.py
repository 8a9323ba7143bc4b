"""Setting targets and quotas, one at a time or from a CSV file (all rows or none). Flushes, never commits."""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from fieldapp.accounts.models import Role, User
from fieldapp.extensions import db
from fieldapp.numbers import whole_number
from fieldapp.progress import areas, import_words
from fieldapp.progress.labels import KIND_LABELS, MEASURE_LABELS, QUOTA_PERIOD_LABELS
from fieldapp.progress.models import AreaKind, Measure, Period, Quota, Target
from fieldapp.records.audit import record_audit
from fieldapp.vn import dates as vn_dates

CSV_COLUMNS = ("kind", "code", "amount", "deadline", "measure", "period")
#: roles a quota can be set for: the people who do the work
TEAM_ROLES = (Role.COLLECTOR, Role.CLERK)


#: the columns every row needs, by the name a manager gives them
NEEDED = {"kind": _l("Loại"), "code": _l("Mã"), "amount": _l("Số hồ sơ")}
#: the words a choice is named by in errors (never the file format's English codes)
CHOICE_WORDS = {**KIND_LABELS, **MEASURE_LABELS, **QUOTA_PERIOD_LABELS}


class ProgressError(ValueError):
    """A target or quota broke a rule; the message says which, in Vietnamese."""


@dataclass
class RowError:
    line: int
    message: str


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} bad rows")
        self.errors = errors


def parse_amount(value: Any) -> int:
    """A positive whole number; "32.736", "32,736" and "32 736" all read as 32736."""
    text = str(value or "").strip().replace(".", "").replace(",", "").replace(" ", "")
    amount = whole_number(text, low=1)
    if amount is None:
        raise ProgressError(_("Số lượng phải là số nguyên dương (ví dụ 32736)."))
    return amount


def parse_day(value: Any) -> date:
    """A deadline as people write it (31/12/2027, 31122027) or as a CSV may (2027-12-31)."""
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    try:
        return vn_dates.parse_day(text)
    except vn_dates.DateRuleError as exc:
        raise ProgressError(
            _("Hạn hoàn thành «%(value)s» không hợp lệ: %(reason)s.", value=text, reason=str(exc))
        ) from exc


def parse_choice(enum_type: type, value: Any, default: Any = None) -> Any:
    """A kind, measure or period, in the format's word or in Vietnamese ("xã", "Đã đối chiếu")."""
    text = str(value or "").strip()
    if not text and default is not None:
        return default
    try:
        return enum_type(import_words.value(text))
    except ValueError as exc:
        allowed = ", ".join(str(CHOICE_WORDS[member]).lower() for member in enum_type)
        raise ProgressError(
            _("«%(value)s» không hợp lệ; chọn một trong: %(allowed)s.", value=text, allowed=allowed)
        ) from exc


def target_area(kind: AreaKind, code: str, by: User | None) -> areas.Area:
    area = areas.resolve(kind.value, code.strip())
    if area is None:
        kind_word = str(KIND_LABELS[kind]).lower()
        raise ProgressError(_("Không có %(kind)s nào mã «%(code)s».", kind=kind_word, code=code))
    if by is not None and not areas.may_see(by, area):
        raise ProgressError(_("Đơn vị mã %(code)s không thuộc địa bàn được giao cho bạn.", code=code))
    return area


def set_target(
    kind: AreaKind,
    code: str,
    amount: int,
    deadline: date,
    by: User | None,
    measure: Measure = Measure.COLLECTED,
) -> Target:
    """Create or replace the target of an area."""
    area = target_area(kind, code, by)
    target = db.session.scalar(select(Target).where(Target.area_kind == kind, Target.area_code == area.code))
    if target is None:
        target = Target(area_kind=kind, area_code=area.code)
        db.session.add(target)
    target.province_code = area.province_code
    target.amount, target.deadline, target.measure = amount, deadline, measure
    target.updated_by_id = by.id if by else None
    db.session.flush()
    detail = {"kind": kind.value, "code": area.code, "amount": amount, "deadline": deadline.isoformat()}
    record_audit("target.set", "target", str(target.id), actor_id=by.id if by else None, detail=detail)
    return target


def delete_target(target: Target, by: User | None) -> None:
    record_audit("target.delete", "target", str(target.id), actor_id=by.id if by else None)
    db.session.delete(target)
    db.session.flush()


def quota_member(username_or_id: str | int, by: User | None) -> User:
    if isinstance(username_or_id, int):
        member = db.session.get(User, username_or_id)
    else:
        member = db.session.scalar(select(User).where(User.username == str(username_or_id).strip().lower()))
    if member is None or member.role not in TEAM_ROLES:
        raise ProgressError(_("Không có cán bộ thu thập hoặc công chức «%(name)s».", name=username_or_id))
    if by is not None and not member_visible(by, member):
        raise ProgressError(
            _("Cán bộ «%(name)s» không thuộc địa bàn được giao cho bạn.", name=username_or_id)
        )
    return member


def member_visible(viewer: User, member: User) -> bool:
    if member.area_code is None:
        return viewer.area_code is None and viewer.role is Role.ADMIN
    area = areas.resolve(areas.kind_of_code(member.area_code), member.area_code)
    return area is not None and areas.may_see(viewer, area)


def set_quota(
    member: User, period: Period, amount: int, by: User | None, measure: Measure = Measure.COLLECTED
) -> Quota:
    quota = db.session.scalar(select(Quota).where(Quota.user_id == member.id, Quota.period == period))
    if quota is None:
        quota = Quota(user_id=member.id, period=period)
        db.session.add(quota)
    quota.amount, quota.measure, quota.updated_by_id = amount, measure, by.id if by else None
    db.session.flush()
    detail = {"user": member.id, "period": period.value, "amount": amount, "measure": measure.value}
    record_audit("quota.set", "quota", str(quota.id), actor_id=by.id if by else None, detail=detail)
    return quota


def delete_quota(quota: Quota, by: User | None) -> None:
    record_audit("quota.delete", "quota", str(quota.id), actor_id=by.id if by else None)
    db.session.delete(quota)
    db.session.flush()


def import_csv(text: str, by: User | None) -> dict[str, int]:
    """Targets and quotas from CSV; any bad row -> ImportFailed with every row's error, nothing written.

    Columns: kind (province | commune | district | quota), code (unit code, or the username for a
    quota), amount, deadline (targets), measure (optional: collected | verified | transferred),
    period (quotas: day | week | month).
    """
    # newline=None: a lone carriage return (an old Mac or a hand-edited file) ends a line like any other
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=None))
    try:  # read it all before writing anything
        columns, rows = reader.fieldnames or [], list(reader)
    except csv.Error as exc:  # a stray quote, a field past the csv module's size limit
        line = reader.reader.line_num or 1
        raise ImportFailed([RowError(line, _("Dòng này không đúng định dạng CSV."))]) from exc
    return _import_rows(columns, rows, by)


def _import_rows(columns: Sequence[str], rows: list[dict[str, Any]], by: User | None) -> dict[str, int]:
    columns = [import_words.column(c) for c in columns]
    rows = [{import_words.column(k): v for k, v in row.items() if k is not None} for row in rows]
    missing = [str(NEEDED[c]) for c in NEEDED if c not in columns]
    if missing:
        raise ImportFailed([RowError(1, _("Thiếu cột: %(columns)s.", columns=", ".join(missing)))])
    errors: list[RowError] = []
    seen: dict[tuple[str, str, str], int] = {}
    counts = {"targets": 0, "quotas": 0}
    savepoint = db.session.begin_nested()
    for line, row in enumerate(rows, start=2):
        try:
            key = _import_row(row, by)
        except ProgressError as exc:
            errors.append(RowError(line, str(exc)))
            continue
        if key in seen:
            errors.append(RowError(line, _("Trùng với dòng %(line)s.", line=seen[key])))
            continue
        seen[key] = line
        counts["quotas" if key[0] == "quota" else "targets"] += 1
    if errors:
        savepoint.rollback()
        raise ImportFailed(errors)
    savepoint.commit()
    return counts


def _import_row(row: dict[str, Any], by: User | None) -> tuple[str, str, str]:
    kind = import_words.value(str(row.get("kind") or ""))
    code = str(row.get("code") or "").strip()
    amount = parse_amount(row.get("amount"))
    if kind == "quota":
        period = parse_choice(Period, row.get("period"))
        measure = parse_choice(Measure, row.get("measure"), Measure.COLLECTED)
        member = quota_member(code, by)
        set_quota(member, period, amount, by, measure)
        return ("quota", member.username, period.value)
    area_kind = parse_choice(AreaKind, kind)
    deadline = parse_day(row.get("deadline"))
    measure = parse_choice(Measure, row.get("measure"), Measure.COLLECTED)
    set_target(area_kind, code, amount, deadline, by, measure)
    return (area_kind.value, code, "")
