"""duplicates: candidate index with the birth date, what a pair matched on, the two clerks' turns

Revision ID: 0008_duplicates
Revises: 0009_devices
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_duplicates"
down_revision = "0009_devices"
branch_labels = None
depends_on = None

PAIR_COLUMNS = (
    ("matched", sa.String(length=60)),
    ("differs", sa.String(length=60)),
    ("proposed_verdict", sa.String(length=10)),
    ("proposed_keep", sa.String(length=36)),
    ("proposed_from", sa.String(length=36)),
    ("proposed_at", sa.DateTime()),
)


def upgrade():
    with op.batch_alter_table("record_people", schema=None) as batch_op:
        batch_op.create_index(
            "ix_record_people_folded_birth_date", ["name_folded", "birth_year", "date_of_birth"], unique=False
        )
        batch_op.drop_index("ix_record_people_folded_birth")
    with op.batch_alter_table("duplicate_pairs", schema=None) as batch_op:
        for name, kind in PAIR_COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=True))
        batch_op.add_column(sa.Column("proposed_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_duplicate_pairs_proposed_by_id_users", "users", ["proposed_by_id"], ["id"]
        )


def downgrade():
    with op.batch_alter_table("duplicate_pairs", schema=None) as batch_op:
        batch_op.drop_constraint("fk_duplicate_pairs_proposed_by_id_users", type_="foreignkey")
        batch_op.drop_column("proposed_by_id")
        for name, _kind in reversed(PAIR_COLUMNS):
            batch_op.drop_column(name)
    with op.batch_alter_table("record_people", schema=None) as batch_op:
        batch_op.create_index("ix_record_people_folded_birth", ["name_folded", "birth_year"], unique=False)
        batch_op.drop_index("ix_record_people_folded_birth_date")
