"""The state machine: reopen and undo go back one step, and only from where they may."""

import pytest

from fieldapp.records.states import Action, IllegalTransition, State, next_state


def test_state_machine_reopen_and_undo():
    assert next_state(Action.REOPEN, State.VERIFIED) is State.IN_REVIEW
    assert next_state(Action.UNDO, State.VERIFIED) is State.IN_REVIEW
    assert next_state(Action.UNDO, State.RETURNED) is State.IN_REVIEW
    assert next_state(Action.UNDO, State.TRANSFERRED) is State.VERIFIED
    for action, state in ((Action.REOPEN, State.TRANSFERRED), (Action.UNDO, State.SUBMITTED)):
        with pytest.raises(IllegalTransition):
            next_state(action, state)
