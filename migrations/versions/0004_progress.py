"""progress: targets, quotas, daily counters (backfilled from records and the audit log)

Revision ID: 0004_progress
Revises: 0003_receipts
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_progress"
down_revision = "0003_receipts"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_progress_daily_province_day": ["province_code", "day", "commune_code", "measure", "count"],
    "ix_progress_daily_commune_cover": ["commune_code", "user_id", "measure", "day", "count"],
    "ix_progress_daily_user_day": ["user_id", "day", "measure", "count"],
}
MEASURE = sa.Enum("collected", "verified", "transferred", name="measure", native_enum=False, length=12)


def upgrade():
    op.create_table(
        "progress_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "area_kind",
            sa.Enum("province", "commune", "district", name="areakind", native_enum=False, length=10),
            nullable=False,
        ),
        sa.Column("area_code", sa.String(length=5), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("measure", MEASURE, nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["province_code"],
            ["admin_units.code"],
            name=op.f("fk_progress_targets_province_code_admin_units"),
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_progress_targets_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progress_targets")),
        sa.UniqueConstraint("area_kind", "area_code", name="uq_progress_targets_area"),
    )
    op.create_index("ix_progress_targets_province_code", "progress_targets", ["province_code"])
    op.create_table(
        "progress_quotas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "period",
            sa.Enum("day", "week", "month", name="period", native_enum=False, length=8),
            nullable=False,
        ),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("measure", MEASURE, nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_progress_quotas_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_progress_quotas_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progress_quotas")),
        sa.UniqueConstraint("user_id", "period", name="uq_progress_quotas_user_period"),
    )
    op.create_table(
        "progress_daily",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("commune_code", sa.String(length=5), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("measure", MEASURE, nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "commune_code", "user_id", "measure", name=op.f("pk_progress_daily")),
    )
    # covering indexes: each dashboard query reads one of them and never the table
    for name, columns in INDEXES.items():
        op.create_index(name, "progress_daily", columns)
    op.create_table(
        "progress_totals",
        sa.Column("commune_code", sa.String(length=5), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("measure", MEASURE, nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("commune_code", "user_id", "measure", name=op.f("pk_progress_totals")),
    )
    op.create_index("ix_progress_totals_province", "progress_totals",
                    ["province_code", "commune_code", "measure", "count"])
    op.create_table(
        "progress_province_daily",
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("measure", MEASURE, nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("province_code", "day", "measure", name=op.f("pk_progress_province_daily")),
    )
    backfill()


def backfill():
    """Count the work done before the counters existed (records and the audit log are the history)."""
    postgres = op.get_bind().dialect.name == "postgresql"

    def day(column):
        return f"CAST({column} + INTERVAL '7 hours' AS DATE)" if postgres else f"date({column}, '+7 hours')"

    op.execute(
        "INSERT INTO progress_daily (day, province_code, commune_code, user_id, measure, count) "
        f"SELECT {day('received_at')}, province_code, commune_code, captured_by_id, 'collected', COUNT(*) "
        f"FROM records GROUP BY {day('received_at')}, province_code, commune_code, captured_by_id"
    )
    for action, measure in (("record.verify", "verified"), ("record.transfer", "transferred")):
        op.execute(
            "INSERT INTO progress_daily (day, province_code, commune_code, user_id, measure, count) "
            f"SELECT {day('a.at')}, r.province_code, r.commune_code, a.actor_id, '{measure}', COUNT(*) "
            "FROM audit_log a JOIN records r ON r.id = a.entity_id "
            f"WHERE a.entity_type = 'record' AND a.action = '{action}' AND a.actor_id IS NOT NULL "
            f"GROUP BY {day('a.at')}, r.province_code, r.commune_code, a.actor_id"
        )


    op.execute(
        "INSERT INTO progress_totals (commune_code, user_id, measure, province_code, count) "
        "SELECT commune_code, user_id, measure, province_code, SUM(count) FROM progress_daily "
        "GROUP BY commune_code, user_id, measure, province_code"
    )
    op.execute(
        "INSERT INTO progress_province_daily (province_code, day, measure, count) "
        "SELECT province_code, day, measure, SUM(count) FROM progress_daily GROUP BY province_code, day, measure"
    )


def downgrade():
    op.drop_table("progress_province_daily")
    op.drop_index("ix_progress_totals_province", table_name="progress_totals")
    op.drop_table("progress_totals")
    for name in INDEXES:
        op.drop_index(name, table_name="progress_daily")
    op.drop_table("progress_daily")
    op.drop_table("progress_quotas")
    op.drop_index("ix_progress_targets_province_code", table_name="progress_targets")
    op.drop_table("progress_targets")
