"""The life of a record: one table of transitions, consulted by Record.apply()."""

import enum

from flask_babel import lazy_gettext as _l


class State(enum.StrEnum):
    SUBMITTED = "submitted"  # arrived from a phone or keyed at the office
    IN_REVIEW = "in_review"  # a clerk is checking it against the paper register
    RETURNED = "returned"  # sent back to the collector for correction
    REJECTED = "rejected"  # refused, with a reason
    VERIFIED = "verified"  # checked against the register
    TRANSFERRED = "transferred"  # entered in the national system, with its official number


class Action(enum.StrEnum):
    START = "start"
    VERIFY = "verify"
    RETURN = "return"
    REJECT = "reject"
    TRANSFER = "transfer"
    RESUBMIT = "resubmit"  # a returned record comes back corrected
    REOPEN = "reopen"  # a verified record goes back to review, with a reason
    UNDO = "undo"  # a decision taken moments ago is taken back (see UNDO_TARGETS)


#: action -> (states it may start from, state it leads to)
TRANSITIONS: dict[Action, tuple[frozenset[State], State]] = {
    Action.START: (frozenset({State.SUBMITTED}), State.IN_REVIEW),
    Action.VERIFY: (frozenset({State.IN_REVIEW}), State.VERIFIED),
    Action.RETURN: (frozenset({State.IN_REVIEW}), State.RETURNED),
    Action.REJECT: (frozenset({State.IN_REVIEW}), State.REJECTED),
    Action.TRANSFER: (frozenset({State.VERIFIED}), State.TRANSFERRED),
    Action.RESUBMIT: (frozenset({State.RETURNED}), State.SUBMITTED),
    Action.REOPEN: (frozenset({State.VERIFIED}), State.IN_REVIEW),
}

#: undo goes back one step: the state a decision led to -> (the decision, the state before it)
UNDO_TARGETS: dict[State, tuple[Action, State]] = {
    State.VERIFIED: (Action.VERIFY, State.IN_REVIEW),
    State.RETURNED: (Action.RETURN, State.IN_REVIEW),
    State.REJECTED: (Action.REJECT, State.IN_REVIEW),
    State.TRANSFERRED: (Action.TRANSFER, State.VERIFIED),
}

#: states in which the collector may still change the record from the phone
COLLECTOR_EDITABLE = frozenset({State.SUBMITTED, State.RETURNED})

STATE_LABELS = {
    State.SUBMITTED: _l("Đã tiếp nhận"),
    State.IN_REVIEW: _l("Đang rà soát"),
    State.RETURNED: _l("Cần bổ sung"),
    State.REJECTED: _l("Từ chối"),
    State.VERIFIED: _l("Đã đối chiếu"),
    State.TRANSFERRED: _l("Đã chuyển vào hệ thống"),
}


class IllegalTransition(Exception):
    def __init__(self, action: Action, state: State) -> None:
        self.action = action
        self.state = state
        super().__init__(f"{action.value} not allowed from {state.value}")

    @property
    def message(self) -> str:
        return str(
            _l(
                "Không thể thực hiện thao tác «%(action)s» khi hồ sơ đang ở trạng thái «%(state)s».",
                action=ACTION_LABELS[self.action],
                state=STATE_LABELS[self.state],
            )
        )


ACTION_LABELS = {
    Action.START: _l("bắt đầu rà soát"),
    Action.VERIFY: _l("xác nhận đã đối chiếu"),
    Action.RETURN: _l("trả lại để bổ sung"),
    Action.REJECT: _l("từ chối"),
    Action.TRANSFER: _l("chuyển vào hệ thống"),
    Action.RESUBMIT: _l("gửi lại"),
    Action.REOPEN: _l("mở lại để rà soát"),
    Action.UNDO: _l("hoàn tác"),
}


def allowed_from(action: Action) -> frozenset[State]:
    if action is Action.UNDO:
        return frozenset(UNDO_TARGETS)
    return TRANSITIONS[action][0]


def next_state(action: Action, current: State) -> State:
    if action is Action.UNDO:
        if current not in UNDO_TARGETS:
            raise IllegalTransition(action, current)
        return UNDO_TARGETS[current][1]
    allowed_from, target = TRANSITIONS[action]
    if current not in allowed_from:
        raise IllegalTransition(action, current)
    return target
