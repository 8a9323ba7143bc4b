"""Review rules: who may act on a record, the actions of the state machine, comments.

Services flush, never commit. A refusal is a ReviewRefused carrying the HTTP status the caller should
answer with and a message in Vietnamese; views and the API only translate it.
"""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from fieldapp.accounts.models import Role, User
from fieldapp.extensions import db
from fieldapp.progress.counters import local_day
from fieldapp.records import services as records
from fieldapp.records.audit import AuditEntry, record_audit
from fieldapp.records.documents import DOCUMENT_KINDS, known_kinds
from fieldapp.records.models import Record
from fieldapp.records.search import visible_records
from fieldapp.records.states import UNDO_TARGETS, Action, IllegalTransition, next_state
from fieldapp.review.models import ReviewComment
from fieldapp.timeutil import utcnow

#: roles that may change records from the office; managers only read
REVIEW_ROLES = frozenset({Role.CLERK, Role.ADMIN})
#: roles that may open the office pages at all
STAFF_ROLES = frozenset({Role.CLERK, Role.MANAGER, Role.ADMIN})
#: actions a clerk takes (resubmit belongs to the collector's phone)
REVIEW_ACTIONS = (Action.START, Action.VERIFY, Action.RETURN, Action.REJECT, Action.TRANSFER, Action.REOPEN)
#: decisions that can be taken back for a short while by whoever took them
UNDOABLE = (Action.VERIFY, Action.RETURN, Action.REJECT, Action.TRANSFER)
#: the page offers undo for 10 seconds; the server allows a slow line some more
UNDO_SECONDS = 30


class ReviewRefused(Exception):
    """An action the rules refuse: `status` is the HTTP answer, `errors` field messages (422)."""

    def __init__(self, status: int, message: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors


def may_review(user: User) -> bool:
    return user.role in REVIEW_ROLES


def require_reviewer(user: User) -> None:
    if not may_review(user):
        raise ReviewRefused(403, _("Vai trò của bạn chỉ được xem, không được rà soát hồ sơ."))


def find_record(user: User, record_id: str, *, for_update: bool = False) -> Record:
    """A record the user may see, or 404 (a record outside the area does not exist for them)."""
    statement = visible_records(user).where(Record.id == record_id)
    if for_update:
        statement = statement.with_for_update()
    record = db.session.scalar(statement)
    if record is None:
        raise ReviewRefused(404, _("Không tìm thấy hồ sơ."))
    return record


def check_version(record: Record, base_version: int | None) -> None:
    """Two clerks on one record: whoever acts on an old version is told, never silently overwrites."""
    if base_version is not None and base_version != record.version:
        raise ReviewRefused(
            409,
            _(
                "Hồ sơ đã được người khác sửa (phiên bản %(current)s, bạn đang xem phiên bản %(yours)s). "
                "Hãy tải lại trang để xem thay đổi rồi thao tác lại.",
                current=record.version,
                yours=base_version,
            ),
        )


def review(
    record: Record,
    user: User,
    action: Action | str,
    *,
    comment: str | None = None,
    registration_number: str | None = None,
    registration_date: date | None = None,
    base_version: int | None = None,
    documents: list[str] | None = None,
) -> Record:
    """Apply one clerk action to a record already found in the user's area (locked for update).

    Returning it, the clerk ticks the kinds of document the household must bring (`documents`): the
    public status page shows those; the free-text comment goes only to the collector's phone."""
    require_reviewer(user)
    action = Action(action)
    if action not in REVIEW_ACTIONS:
        raise ReviewRefused(422, _("Thao tác không hợp lệ."), {"action": [_("Thao tác không hợp lệ.")]})
    comment = (comment or "").strip() or None
    _check_required(action, comment, registration_number, registration_date)
    _check_documents(documents or [])
    check_version(record, base_version)
    try:
        next_state(action, record.state)  # checked first, so nothing is written for an illegal move
    except IllegalTransition as exc:
        raise ReviewRefused(409, exc.message) from exc
    if action is Action.TRANSFER:
        record.registration_number = (registration_number or "").strip()
        record.registration_date = registration_date
    if action is Action.RETURN:
        record.missing_documents = known_kinds(documents or [])
    to_collector = comment if action in (Action.RETURN, Action.REJECT) else None
    reason = comment if action is Action.REOPEN else None
    records.transition(record, action, user, comment=to_collector, reason=reason)
    if comment and to_collector is None and reason is None:
        add_comment(record, user, comment)
    return record


def undo(record: Record, user: User, base_version: int | None = None) -> Action:
    """Take back the user's own decision of the last few seconds; returns the decision undone."""
    require_reviewer(user)
    check_version(record, base_version)
    last = db.session.scalar(
        select(AuditEntry)
        .where(AuditEntry.entity_type == "record", AuditEntry.entity_id == record.id)
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    decision = UNDO_TARGETS.get(record.state, (None,))[0]
    if last is None or decision not in UNDOABLE or last.action != f"record.{decision.value}":
        raise ReviewRefused(409, _("Không có thao tác nào vừa thực hiện để hoàn tác."))
    if last.actor_id != user.id:
        raise ReviewRefused(409, _("Chỉ người vừa thực hiện thao tác mới hoàn tác được."))
    if (utcnow() - last.at).total_seconds() > UNDO_SECONDS:
        raise ReviewRefused(
            409,
            _("Đã quá thời gian hoàn tác. Hồ sơ đã đối chiếu có thể được mở lại, kèm lý do.")
            if decision is Action.VERIFY
            else _("Đã quá thời gian hoàn tác."),
        )
    if decision is Action.TRANSFER:
        record.registration_number = record.registration_date = None
    if decision in (Action.RETURN, Action.REJECT):
        record.review_comment = None
    records.transition(record, Action.UNDO, user)
    return decision


def _check_required(action: Action, comment: str | None, number: str | None, on: date | None) -> None:
    errors: dict[str, list[str]] = {}
    if action in (Action.RETURN, Action.REJECT, Action.REOPEN) and not comment:
        errors["comment"] = [
            {
                Action.RETURN: _("Hãy ghi lý do trả lại để cán bộ thu thập biết cần bổ sung gì."),
                Action.REJECT: _("Hãy ghi lý do từ chối."),
                Action.REOPEN: _("Hãy ghi lý do mở lại hồ sơ đã đối chiếu."),
            }[action]
        ]
    if action is Action.TRANSFER:
        if not (number or "").strip():
            errors["registration_number"] = [_("Hãy nhập số đăng ký trên hệ thống hộ tịch điện tử.")]
        if on is None:
            errors["registration_date"] = [_("Hãy nhập ngày đăng ký trên hệ thống hộ tịch điện tử.")]
        elif on > local_day():
            errors["registration_date"] = [_("Ngày đăng ký không thể ở sau hôm nay.")]
    if errors:
        raise ReviewRefused(422, _("Dữ liệu chưa hợp lệ; xem chi tiết từng trường."), errors)


def _check_documents(documents: list[str]) -> None:
    unknown = [kind for kind in documents if kind not in DOCUMENT_KINDS]
    if unknown:
        message = _("Loại giấy tờ không có trong danh sách: %(kinds)s.", kinds=", ".join(unknown)[:200])
        raise ReviewRefused(
            422, _("Dữ liệu chưa hợp lệ; xem chi tiết từng trường."), {"documents": [message]}
        )


def add_comment(record: Record, user: User, body: str) -> ReviewComment:
    require_reviewer(user)
    body = (body or "").strip()
    if not body:
        raise ReviewRefused(422, _("Nội dung ghi chú không được trống."), {"body": [_("Bắt buộc.")]})
    comment = ReviewComment(record_id=record.id, author_id=user.id, body=body[:4000])
    db.session.add(comment)
    db.session.flush()
    record_audit("record.comment", "record", record.id, actor_id=user.id, detail={"comment_id": comment.id})
    return comment


def comments_of(record: Record) -> list[ReviewComment]:
    return list(
        db.session.scalars(
            select(ReviewComment).where(ReviewComment.record_id == record.id).order_by(ReviewComment.id)
        )
    )
