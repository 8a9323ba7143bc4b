"""The hand-off to the national civil-status system: per record type, one row per registered event, in
the columns its data entry asks for (see docs/handoff.md for the layout and where it comes from)."""

from collections.abc import Callable, Iterator
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from fieldapp.accounts.models import User
from fieldapp.extensions import db
from fieldapp.receipts.codes import display_code
from fieldapp.records.display import Words, unit_name
from fieldapp.records.models import Record, RecordType
from fieldapp.records.search import visible_records
from fieldapp.records.states import State

Getter = Callable[[Words, Any], Any]
#: the event types the national system registers (a household is not a civil-status event)
EVENT_TYPES = (RecordType.BIRTH, RecordType.DEATH, RecordType.MARRIAGE)
#: the states whose records are handed off: ready (verified), or already there (to check the answer)
HANDOFF_STATES = (State.VERIFIED, State.TRANSFERRED)


def _node(record: Any, parents: tuple[str, ...]) -> dict[str, Any]:
    node: Any = record.data or {}
    for part in parents:
        node = node.get(part) or {}
    return node


def _at(*path: str) -> Getter:
    """A plain value of the data, by its path."""
    *parents, key = path
    return lambda _words, record: _node(record, tuple(parents)).get(key, "")


def _word(*path: str) -> Getter:
    """A coded value (sex, ethnic group, nationality) in words."""
    *parents, key = path

    def get(words: Words, record: Any) -> Any:
        node = _node(record, tuple(parents))
        return words.text(key, node.get(key), node)

    return get


def _date(*path: str) -> Getter:
    """A date as dd/mm/yyyy, partial and lunar ones written as such."""
    *parents, key = path
    return lambda words, record: words.date(_node(record, tuple(parents)), key)


def _person(role: str, label: str, *, residence: bool = True) -> list[tuple[Any, Getter]]:
    columns = [
        (_l("%(who)s: họ, chữ đệm và tên", who=label), _at(role, "full_name")),
        (_l("%(who)s: ngày, tháng, năm sinh", who=label), _date(role, "date_of_birth")),
        (_l("%(who)s: giới tính", who=label), _word(role, "sex")),
        (_l("%(who)s: dân tộc", who=label), _word(role, "ethnicity")),
        (_l("%(who)s: quốc tịch", who=label), _word(role, "nationality")),
        (_l("%(who)s: số định danh cá nhân", who=label), _at(role, "personal_id")),
    ]
    if residence:
        columns.append((_l("%(who)s: nơi cư trú", who=label), _at(role, "residence")))
    return columns


#: where the event stands in the paper register, and where it was registered: every layout starts so
REGISTER: list[tuple[Any, Getter]] = [
    (_l("Số"), _at("register", "entry_number")),
    (_l("Quyển số"), _at("register", "book_number")),
    (_l("Năm của sổ"), _at("register", "book_year")),
    (_l("Trang"), _at("register", "page")),
    (_l("Ngày đăng ký"), _date("register", "registered_on")),
    (_l("Nơi đăng ký"), lambda _w, r: unit_name(r.commune_code)),
]
#: ours, so the national system's answer can name the record
OURS: list[tuple[Any, Getter]] = [
    (_l("Mã hồ sơ"), lambda _w, r: r.id),
    (_l("Mã biên nhận"), lambda _w, r: display_code(r.receipt_code) if r.receipt_code else ""),
    (_l("Thôn, bản"), lambda _w, r: r.village),
]
LAYOUTS: dict[RecordType, list[tuple[Any, Getter]]] = {
    RecordType.BIRTH: [
        *REGISTER,
        *_person("child", _l("Người được khai sinh"), residence=False),
        (_l("Nơi sinh"), _at("place_of_birth")),
        *_person("mother", _l("Mẹ")),
        *_person("father", _l("Cha")),
        *OURS,
    ],
    RecordType.DEATH: [
        *REGISTER,
        *_person("deceased", _l("Người chết")),
        (_l("Ngày, tháng, năm chết"), _date("date_of_death")),
        (_l("Nơi chết"), _at("place_of_death")),
        (_l("Nguyên nhân chết"), _at("cause_of_death")),
        *OURS,
    ],
    RecordType.MARRIAGE: [
        *REGISTER[:4],
        (_l("Ngày đăng ký kết hôn"), _date("marriage_date")),
        REGISTER[5],
        *_person("husband", _l("Chồng")),
        *_person("wife", _l("Vợ")),
        *OURS,
    ],
}
TITLES = {
    RecordType.BIRTH: _l("Khai sinh"),
    RecordType.DEATH: _l("Khai tử"),
    RecordType.MARRIAGE: _l("Kết hôn"),
}
SLUGS = {RecordType.BIRTH: "khai-sinh", RecordType.DEATH: "khai-tu", RecordType.MARRIAGE: "ket-hon"}


def ready_counts(user: User) -> dict[RecordType, dict[State, int]]:
    """Per event type, how many of the user's records wait for the hand-off and how many are there."""
    visible = visible_records(user).subquery()
    rows = db.session.execute(
        select(visible.c.type, visible.c.state, func.count())
        .where(visible.c.type.in_(EVENT_TYPES), visible.c.state.in_(HANDOFF_STATES))
        .group_by(visible.c.type, visible.c.state)
    )
    counts: dict[RecordType, dict[State, int]] = {t: dict.fromkeys(HANDOFF_STATES, 0) for t in EVENT_TYPES}
    for kind, state, n in rows:
        counts[RecordType(kind)][State(state)] = n
    return counts


def headers(kind: RecordType) -> list[str]:
    return [str(label) for label, _get in LAYOUTS[kind]]


def rows(user: User, kind: RecordType, state: State = State.VERIFIED) -> Iterator[list[Any]]:
    """The user's records of one type in one state, as the national layout's rows, by register entry."""
    words = Words.now()
    layout = LAYOUTS[kind]
    query = (
        visible_records(user)
        .where(Record.type == kind, Record.state == state)
        .order_by(Record.commune_code, Record.received_at, Record.id)
        .execution_options(yield_per=1000)
    )
    for record in db.session.scalars(query):
        yield [get(words, record) for _label, get in layout]
