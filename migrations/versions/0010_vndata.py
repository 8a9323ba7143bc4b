"""vndata: record_people.ethnicity (foreigners and unknown groups counted apart), backfilled from records

Revision ID: 0010_vndata
Revises: 0004_progress
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_vndata"
down_revision = "0004_progress"
branch_labels = None
depends_on = None

# Where each role's person sits in a record's data; household members by their position.
ROLE_KEYS = ("child", "mother", "father", "deceased", "husband", "wife")

BACKFILL = {
    "sqlite": (
        "UPDATE record_people SET ethnicity = (SELECT CASE WHEN record_people.role IN ('head', 'member') "
        "THEN json_extract(r.data, '$.members[' || record_people.position || '].ethnicity') "
        "ELSE json_extract(r.data, '$.' || record_people.role || '.ethnicity') END "
        "FROM records r WHERE r.id = record_people.record_id) "
        "WHERE record_people.role IN ('head', 'member', {roles})"
    ),
    "postgresql": (
        "UPDATE record_people p SET ethnicity = CASE WHEN p.role IN ('head', 'member') "
        "THEN r.data -> 'members' -> p.position ->> 'ethnicity' "
        "ELSE r.data -> p.role ->> 'ethnicity' END "
        "FROM records r WHERE r.id = p.record_id AND p.role IN ('head', 'member', {roles})"
    ),
}


def backfill_sql(dialect: str) -> str:
    """The UPDATE that copies each person's ethnicity from the record data (tested on both databases)."""
    roles = ", ".join(f"'{role}'" for role in ROLE_KEYS)
    return BACKFILL["postgresql" if dialect == "postgresql" else "sqlite"].format(roles=roles)


def upgrade():
    with op.batch_alter_table("record_people") as batch:
        batch.add_column(sa.Column("ethnicity", sa.String(length=2), nullable=True))
    op.execute(backfill_sql(op.get_bind().dialect.name))


def downgrade():
    with op.batch_alter_table("record_people") as batch:
        batch.drop_column("ethnicity")
