"""Village keys after the folding rules change: households announced again under today's key.

A change row carries the village as folded when it was written, and a collector given some villages is
served the rows whose key matches theirs, folded today. If the folding rules change (a tone mark placed
elsewhere, a zero-width space read as a space), a household whose village folds differently now would
be missing from that collector's registry. `flask records rekey` therefore writes a new change row for
each such household under its key of today, so phones that already hold the registry hear of it too.
Idempotent: a household that already has a row with today's key in its area gets none.
"""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldapp.records.models import Record, RecordType
from fieldapp.registry.capture import Area, area_of, change_row, write_changes
from fieldapp.registry.models import RegistryChange

_RECORDS = Record.__table__
_CHANGES = RegistryChange.__table__


def households_rekeyed(session: Session, batch_size: int = 1000) -> int:
    """Write a change row for every household whose area has no row under today's village key; returns
    how many. Does not commit (the rows are written last, so the feed's lock is held only till then)."""
    stale: list[dict[str, Any]] = []
    last_id = ""
    while True:
        households = session.execute(
            select(_RECORDS.c.id, _RECORDS.c.province_code, _RECORDS.c.commune_code, _RECORDS.c.village)
            .where(_RECORDS.c.type == RecordType.HOUSEHOLD, _RECORDS.c.id > last_id)
            .order_by(_RECORDS.c.id)
            .limit(batch_size)
        ).all()
        if not households:
            break
        logged = _areas_logged(session, [row.id for row in households])
        for row in households:
            area = area_of(row)
            if area not in logged.get(row.id, set()):
                stale.append(change_row(row.id, area))
        last_id = households[-1].id
    write_changes(session, stale)
    return len(stale)


def _areas_logged(session: Session, household_ids: list[str]) -> dict[str, set[Area]]:
    changes = _CHANGES.c
    columns = (changes.household_id, changes.province_code, changes.commune_code, changes.village_key)
    rows = session.execute(select(*columns).where(changes.household_id.in_(household_ids)).distinct())
    logged: dict[str, set[Area]] = {}
    for row in rows:
        logged.setdefault(row.household_id, set()).add((row.province_code, row.commune_code, row.village_key))
    return logged
