"""Pruning the registry's change log: a row that a later row of the same household and area repeats.

The feed answers "what changed after cursor N" with each household at its latest row of the caller's
area. A row with a later row of the same household in the same area (province, commune, village key)
therefore never decides an answer: every cursor before it is also before the later row. Deleting it
changes no page any phone can ask for, and the log keeps one row per household and area it was ever in,
instead of one per change. The newest row of the table is never such a row, so a restored database is
still told apart from a cursor (registry.services.feed_page).
"""

from sqlalchemy import and_, delete, exists, func, select
from sqlalchemy.orm import Session, aliased

from fieldapp.registry.models import RegistryChange

#: ids a statement looks at: short transactions beside the pushes, on a log of tens of millions
STEP = 50_000


def prune_changes(session: Session, step: int = STEP) -> int:
    """Delete the repeated rows, committing after each step of ids; returns how many went."""
    top = session.scalar(select(func.max(RegistryChange.id))) or 0
    later = aliased(RegistryChange)
    repeated = exists().where(
        later.household_id == RegistryChange.household_id,
        later.province_code == RegistryChange.province_code,
        later.commune_code == RegistryChange.commune_code,
        later.village_key == RegistryChange.village_key,
        later.id > RegistryChange.id,
    )
    deleted = 0
    for start in range(0, top, step):
        in_step = and_(RegistryChange.id > start, RegistryChange.id <= start + step)
        result = session.execute(
            delete(RegistryChange).where(in_step, repeated).execution_options(synchronize_session=False)
        )
        deleted += result.rowcount or 0
        session.commit()
    return deleted
