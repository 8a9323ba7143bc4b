"""Duplicate pairs: who sees what of them, and how each is settled.

A reviewer who sees both records (same commune, or an area covering both: a province office, an
administrator) settles a pair at once. A pair across two communes is also settled by the two communes'
clerks in turn: the first proposes (the same person, keep this record / two different people), the
other agrees, or proposes otherwise and the turn goes back. A clerk never sees anything of the other
commune's record, only what matched and what differs (stored on the pair when it was flagged).
"""

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Select, or_, select

from fieldapp.accounts.models import User
from fieldapp.extensions import db
from fieldapp.records import services as records
from fieldapp.records.audit import record_audit
from fieldapp.records.models import Record
from fieldapp.records.search import visible_records
from fieldapp.records.states import STATE_LABELS, Action, State
from fieldapp.review.models import DuplicatePair, PairStatus, RecordMerge
from fieldapp.review.services import ReviewRefused, may_review, require_reviewer
from fieldapp.timeutil import utcnow

#: the form's value for "keep the record of the other commune" (its id is not shown to this clerk)
OTHER = "other"
MERGEABLE = (State.SUBMITTED, State.IN_REVIEW)


class Turn(enum.StrEnum):
    MINE = "mine"  # the viewer settles it, or answers the other commune's proposal
    WAITING = "waiting"  # the viewer proposed; the other commune's clerk (or a reviewer of both) answers
    READ = "read"  # the viewer only reads (a manager)


@dataclass
class PairView:
    """A pair as one user may see it: a record they may not see is None."""

    pair: DuplicatePair
    a: Record | None
    b: Record | None
    reviewer: bool

    @property
    def whole(self) -> bool:
        return self.a is not None and self.b is not None

    @property
    def own(self) -> Record:
        """The viewer's record when they see only one (or the first when they see both)."""
        return self.a or self.b  # type: ignore[return-value]

    @property
    def turn(self) -> Turn:
        if not self.reviewer:
            return Turn.READ
        if not self.whole and self.pair.proposed_from == self.own.id:
            return Turn.WAITING
        return Turn.MINE

    @property
    def proposal_by_other(self) -> bool:
        return self.pair.proposed_from is not None and self.pair.proposed_from != self.own.id

    def keeps_own(self) -> bool:
        return self.pair.proposed_keep == self.own.id


def visible_pairs(user: User, status: PairStatus = PairStatus.OPEN) -> Select:
    """Pairs with at least one record in the user's area."""
    mine = visible_records(user).with_only_columns(Record.id)
    return (
        select(DuplicatePair)
        .where(DuplicatePair.status == status)
        .where(or_(DuplicatePair.record_a.in_(mine), DuplicatePair.record_b.in_(mine)))
        .order_by(DuplicatePair.id.desc())
    )


def views_of(user: User, pairs: Iterable[DuplicatePair]) -> list[PairView]:
    """Each pair with the records the user may see, in one query."""
    pairs = list(pairs)
    ids = {p.record_a for p in pairs} | {p.record_b for p in pairs}
    found = db.session.scalars(visible_records(user).where(Record.id.in_(ids))) if ids else []
    seen = {r.id: r for r in found}
    reviewer = may_review(user)
    return [PairView(p, seen.get(p.record_a), seen.get(p.record_b), reviewer) for p in pairs]


def find_pair(user: User, pair_id: int) -> PairView:
    """A pair the user may see (one of its records is in their area), or 404."""
    pair = db.session.get(DuplicatePair, pair_id)
    view = views_of(user, [pair])[0] if pair is not None else None
    if view is None or (view.a is None and view.b is None):
        raise ReviewRefused(404, _("Không tìm thấy."))
    return view


def open_pairs_of(record: Record) -> list[DuplicatePair]:
    return list(
        db.session.scalars(
            select(DuplicatePair).where(
                DuplicatePair.status == PairStatus.OPEN,
                or_(DuplicatePair.record_a == record.id, DuplicatePair.record_b == record.id),
            )
        )
    )


def resolve_pair(user: User, pair_id: int, verdict: str, keep: str | None = None) -> DuplicatePair:
    """Settle a pair seen whole. distinct: never flagged again; duplicate: the other record is merged
    into the one kept."""
    view = _open_view(user, pair_id, verdict)
    if not view.whole:
        raise ReviewRefused(
            403,
            _(
                "Một hồ sơ của cặp này thuộc xã khác: hãy đề nghị cách xử lý để cán bộ xã kia đồng ý, "
                "hoặc để cán bộ tư pháp cấp tỉnh phụ trách cả hai xã xử lý."
            ),
        )
    _settle(view.pair, verdict, _keep_id(view, verdict, keep), user, drop_actor=user)
    return view.pair


def take_turn(user: User, pair_id: int, verdict: str, keep: str | None = None) -> str:
    """A clerk who sees one side: agree with the other commune's proposal ("resolved"), or propose
    ("proposed") and wait for the other commune's clerk. Seen whole, the pair is settled at once."""
    view = _open_view(user, pair_id, verdict)
    keep_id = _keep_id(view, verdict, keep)
    pair = view.pair
    agrees = view.proposal_by_other and pair.proposed_verdict == verdict and pair.proposed_keep == keep_id
    if view.whole or agrees:
        proposer = db.session.get(User, pair.proposed_by_id) if agrees else None
        drop_actor = proposer if proposer is not None and keep_id == view.own.id else user
        _settle(pair, verdict, keep_id, user, drop_actor=drop_actor)
        return "resolved"
    _propose(view, verdict, keep_id, user)
    return "proposed"


def _open_view(user: User, pair_id: int, verdict: str) -> PairView:
    require_reviewer(user)
    view = find_pair(user, pair_id)
    if view.pair.status is not PairStatus.OPEN:
        raise ReviewRefused(409, _("Cặp hồ sơ này đã được xử lý."))
    if verdict not in (PairStatus.DUPLICATE.value, PairStatus.DISTINCT.value):
        raise ReviewRefused(422, _("Thao tác không hợp lệ."))
    return view


def _keep_id(view: PairView, verdict: str, keep: str | None) -> str | None:
    if verdict != PairStatus.DUPLICATE.value:
        return None
    pair = view.pair
    if keep == OTHER and not view.whole:
        return pair.record_b if view.own.id == pair.record_a else pair.record_a
    if keep not in {r.id for r in (view.a, view.b) if r is not None}:
        raise ReviewRefused(422, _("Hãy chọn hồ sơ được giữ lại."), {"keep": [_("Bắt buộc.")]})
    return keep


def _propose(view: PairView, verdict: str, keep_id: str | None, user: User) -> None:
    """The first clerk's half: checked now, so the other clerk is not asked to agree to the impossible."""
    pair = view.pair
    if keep_id is not None:
        _check_mergeable(db.session.get(Record, _other_id(pair, keep_id)), seen=keep_id != view.own.id)
    pair.proposed_verdict, pair.proposed_keep = verdict, keep_id
    pair.proposed_from, pair.proposed_by_id, pair.proposed_at = view.own.id, user.id, utcnow()
    record_audit(
        "duplicate.propose",
        "duplicate",
        str(pair.id),
        actor_id=user.id,
        detail={"a": pair.record_a, "b": pair.record_b, "verdict": verdict, "keep": keep_id},
    )
    db.session.flush()


def _settle(pair: DuplicatePair, verdict: str, keep_id: str | None, user: User, drop_actor: User) -> None:
    if verdict == PairStatus.DUPLICATE.value:
        assert keep_id is not None
        drop = db.session.get(Record, _other_id(pair, keep_id))
        keep = db.session.get(Record, keep_id)
        _check_mergeable(drop, seen=covers_record(user, drop))
        _merge(drop, keep, drop_actor)
        pair.status = PairStatus.DUPLICATE
    else:
        pair.status = PairStatus.DISTINCT
    pair.resolved_by_id, pair.resolved_at = user.id, utcnow()
    record_audit(
        f"duplicate.{verdict}",
        "duplicate",
        str(pair.id),
        actor_id=user.id,
        detail={"a": pair.record_a, "b": pair.record_b, "keep": keep_id},
    )
    db.session.flush()


def covers_record(user: User, record: Record) -> bool:
    statement = visible_records(user).with_only_columns(Record.id).where(Record.id == record.id)
    return db.session.scalar(statement) is not None


def _other_id(pair: DuplicatePair, record_id: str) -> str:
    return pair.record_b if record_id == pair.record_a else pair.record_a


def _check_mergeable(drop: Record, *, seen: bool) -> None:
    """Only a record still waiting or in review can be merged into another (the state of a record the
    clerk may not see is not named)."""
    if drop.state in MERGEABLE:
        return
    if not seen:
        raise ReviewRefused(
            409, _("Hồ sơ ở xã kia đã được xử lý xong, không gộp được; hãy chọn giữ lại hồ sơ đó.")
        )
    raise ReviewRefused(
        409,
        _(
            "Hồ sơ bị gộp phải đang chờ hoặc đang rà soát (hồ sơ này: «%(state)s»); "
            "hãy giữ lại hồ sơ này và gộp hồ sơ kia vào.",
            state=str(STATE_LABELS[drop.state]),
        ),
    )


def _merge(drop: Record, keep: Record, user: User) -> None:
    """The dropped record stays, as history: rejected with a pointer to the one kept."""
    if drop.state is State.SUBMITTED:
        records.transition(drop, Action.START, user)
    if keep.commune_code == drop.commune_code:
        code = keep.receipt_code or keep.id[:8]
        comment = _("Trùng với hồ sơ %(code)s; đã gộp.", code=code)
    else:  # the collector of one commune is not told the receipt code of another's record
        comment = _("Trùng với một hồ sơ ở xã khác; đã gộp.")
    records.transition(drop, Action.REJECT, user, comment=comment)
    db.session.add(RecordMerge(record_id=drop.id, into_id=keep.id, merged_by_id=user.id))


def merged_into(record: Record) -> str | None:
    return db.session.scalar(select(RecordMerge.into_id).where(RecordMerge.record_id == record.id))
