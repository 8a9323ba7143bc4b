"""The office pages' blueprint and its guards: staff only, managers read-only, area via the services."""

from collections.abc import Callable
from datetime import date, datetime
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_smorest import abort
from werkzeug.datastructures import MultiDict

from fieldapp.accounts.models import User
from fieldapp.numbers import whole_number
from fieldapp.records.models import RecordType
from fieldapp.records.states import State
from fieldapp.review.queue import SORTS, TODO, VN_OFFSET, QueueQuery
from fieldapp.review.services import STAFF_ROLES, ReviewRefused, may_review
from fieldapp.vn.dates import DateRuleError, parse_day

bp = Blueprint("review", __name__, url_prefix="/review")
F = TypeVar("F", bound=Callable[..., Any])
STATE_VALUES = {s.value for s in State}
TYPE_VALUES = {t.value for t in RecordType}


def staff_required(view: F) -> F:
    """Signed in, and a clerk, manager or administrator (a collector works from the phone app)."""

    @wraps(view)
    @login_required
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if current_user.role not in STAFF_ROLES:
            abort(403, message=_("Trang này dành cho cán bộ tư pháp - hộ tịch và quản lý."))
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def reviewer_required(view: F) -> F:
    """Pages that change something: clerks and administrators (managers read only)."""

    @wraps(view)
    @staff_required
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not may_review(current_user):
            abort(403, message=_("Vai trò của bạn chỉ được xem, không được rà soát hồ sơ."))
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def me() -> User:
    return current_user._get_current_object()  # type: ignore[attr-defined]


def fail(refused: ReviewRefused) -> None:
    abort(
        refused.status, message=refused.message, messages={"json": refused.errors} if refused.errors else None
    )


def query_from_args(args: MultiDict[str, str]) -> QueueQuery:
    """The queue's filters from a query string; a value that makes no sense is ignored."""
    state = args.get("state", TODO)
    collector = args.get("collector", "")
    bad: dict[str, tuple[str, str]] = {}
    return QueueQuery(
        q=args.get("q", "").strip()[:100],
        state=state if state in STATE_VALUES or state in (TODO, "all") else TODO,
        type=args.get("type", "") if args.get("type", "") in TYPE_VALUES else "",
        village=args.get("village", "").strip()[:120],
        collector_id=whole_number(collector, low=1),
        captured_from=_day_arg(args, "from", bad),
        captured_to=_day_arg(args, "to", bad),
        sort=args.get("sort", "name") if args.get("sort", "name") in SORTS else "name",
        after=args.get("after", "")[:200],
        bad_dates=bad,
    )


def _day_arg(args: MultiDict[str, str], name: str, bad: dict[str, tuple[str, str]]) -> date | None:
    """A date filter typed dd/mm/yyyy; what names no day is kept in `bad` (typed text, reason)."""
    typed = args.get(name, "").strip()[:40]
    if not typed:
        return None
    try:
        return parse_day(typed)
    except DateRuleError as exc:
        bad[name] = (typed, str(exc))
        return None


TYPE_LABELS = {
    RecordType.HOUSEHOLD: _l("Hộ gia đình"),
    RecordType.BIRTH: _l("Khai sinh"),
    RecordType.DEATH: _l("Khai tử"),
    RecordType.MARRIAGE: _l("Kết hôn"),
}


def local_time(value: datetime | None, fmt: str = "%d/%m/%Y %H:%M") -> str:
    """A stored UTC time as a clerk reads it (Vietnam time)."""
    return "" if value is None else (value + VN_OFFSET).strftime(fmt)


@bp.context_processor
def _review_helpers() -> dict[str, Any]:
    from fieldapp.receipts.codes import display_code

    return {
        "type_labels": TYPE_LABELS,
        "local_time": local_time,
        "display_code": lambda code: display_code(code) if code and len(code) == 10 else (code or ""),
        "can_review": current_user.is_authenticated and may_review(current_user),
    }
