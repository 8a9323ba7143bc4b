"""Pace and projection against a deadline: pure arithmetic, no database, easy to check by hand.

- days left: today through the deadline, both counted (0 once the deadline has passed);
- pace needed: what is still to do / days left, in whole records a day, rounded up (34.6 needs 35);
- recent pace: what was done in the last 7 (30) days, today included, / 7 (30);
- days to finish: ceil(still to do / 7-day pace), today being the first of them; none at a pace of zero;
- projected finish: the last of those days (today + days to finish - 1);
- status: met, overdue (deadline passed, not met), stalled (pace zero), behind (projected after the
  deadline), on track.
"""

import math
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class Status(StrEnum):
    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    STALLED = "stalled"
    OVERDUE = "overdue"
    NO_TARGET = "no_target"


#: worst first, for sorting units by risk of missing the deadline
STATUS_ORDER = {
    Status.OVERDUE: 0,
    Status.STALLED: 1,
    Status.BEHIND: 2,
    Status.ON_TRACK: 3,
    Status.MET: 4,
    Status.NO_TARGET: 5,
}


@dataclass(frozen=True)
class Projection:
    done: int
    amount: int
    deadline: date
    today: date
    last_7: int
    last_30: int

    @property
    def remaining(self) -> int:
        return max(0, self.amount - self.done)

    @property
    def share(self) -> float:
        return min(1.0, self.done / self.amount) if self.amount > 0 else 1.0

    @property
    def days_left(self) -> int:
        return max(0, (self.deadline - self.today).days + 1)

    @property
    def pace_needed(self) -> int | None:
        """Records per day still needed; None when met or when no day is left."""
        if self.remaining == 0 or self.days_left == 0:
            return None
        return math.ceil(self.remaining / self.days_left)

    @property
    def pace_7(self) -> float:
        return self.last_7 / 7

    @property
    def pace_30(self) -> float:
        return self.last_30 / 30

    @property
    def days_to_finish(self) -> int | None:
        if self.remaining == 0:
            return 0
        if self.last_7 <= 0:
            return None
        return math.ceil(self.remaining / self.pace_7)

    @property
    def projected_finish(self) -> date | None:
        days = self.days_to_finish
        return None if days is None else self.today + timedelta(days=max(days - 1, 0))

    @property
    def status(self) -> Status:
        if self.remaining == 0:
            return Status.MET
        if self.days_left == 0:
            return Status.OVERDUE
        finish = self.projected_finish
        if finish is None:
            return Status.STALLED
        return Status.BEHIND if finish > self.deadline else Status.ON_TRACK

    @property
    def risk(self) -> tuple[int, float]:
        """Sort key, most at risk first: status, then how many times faster the unit must go."""
        needed = self.remaining / self.days_left if self.days_left else 0.0
        ratio = needed / self.pace_7 if self.pace_7 > 0 else math.inf if needed else 0.0
        return (STATUS_ORDER[self.status], -ratio)
