"""registry: households on the phone - the change log, events linked to a household, assigned villages

Revision ID: 0012_registry
Revises: 0008_duplicates
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from fieldapp.vn.text import fold

revision = "0012_registry"
down_revision = "0008_duplicates"
branch_labels = None
depends_on = None

BATCH = 1000


def upgrade():
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("household_id", sa.String(length=36), nullable=True))
        batch_op.create_index("ix_records_household_id", ["household_id"], unique=False)
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("villages", sa.JSON(), nullable=True))
    changes = op.create_table(
        "registry_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("commune_code", sa.String(length=5), nullable=False),
        sa.Column("village_key", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_changes")),
    )
    op.create_index("ix_registry_changes_commune", "registry_changes", ["commune_code", "id"])
    op.create_index("ix_registry_changes_province", "registry_changes", ["province_code", "id"])
    op.create_index("ix_registry_changes_household", "registry_changes", ["household_id", "id"])
    _log_existing_households(changes)


def _log_existing_households(changes: sa.Table) -> None:
    """The households already stored enter the log once, so a phone's first download finds them."""
    bind = op.get_bind()
    records = sa.table(
        "records",
        sa.column("id"),
        sa.column("type"),
        sa.column("province_code"),
        sa.column("commune_code"),
        sa.column("village"),
        sa.column("received_at"),
    )
    query = (
        sa.select(records.c.id, records.c.province_code, records.c.commune_code, records.c.village)
        .where(records.c.type == "household")
        .order_by(records.c.received_at, records.c.id)
    )
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = []
    for record_id, province, commune, village in bind.execute(query).all():
        rows.append(
            {
                "household_id": record_id,
                "province_code": province,
                "commune_code": commune,
                "village_key": fold(village or "")[:120],
                "created_at": now,
            }
        )
        if len(rows) >= BATCH:
            op.bulk_insert(changes, rows)
            rows = []
    if rows:
        op.bulk_insert(changes, rows)


def downgrade():
    op.drop_index("ix_registry_changes_household", table_name="registry_changes")
    op.drop_index("ix_registry_changes_province", table_name="registry_changes")
    op.drop_index("ix_registry_changes_commune", table_name="registry_changes")
    op.drop_table("registry_changes")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("villages")
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.drop_index("ix_records_household_id")
        batch_op.drop_column("household_id")
