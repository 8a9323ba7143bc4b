"""receipts: paper pads of codes, commune office contacts

Revision ID: 0003_receipts
Revises: 0002_review
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_receipts"
down_revision = "0002_review"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "receipt_pads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_receipt_pads_user_id_users")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_receipt_pads_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipt_pads")),
    )
    with op.batch_alter_table("receipt_pads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_receipt_pads_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("receipt_codes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pad_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_receipt_codes_pad_id_receipt_pads"), "receipt_pads", ["pad_id"], ["id"]
        )
        batch_op.create_index(batch_op.f("ix_receipt_codes_pad_id"), ["pad_id"], unique=False)

    op.create_table(
        "commune_offices",
        sa.Column("commune_code", sa.String(length=5), nullable=False),
        sa.Column("address", sa.String(length=255), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("hours", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["commune_code"], ["admin_units.code"], name=op.f("fk_commune_offices_commune_code_admin_units")
        ),
        sa.PrimaryKeyConstraint("commune_code", name=op.f("pk_commune_offices")),
    )


def downgrade():
    op.drop_table("commune_offices")
    with op.batch_alter_table("receipt_codes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_receipt_codes_pad_id"))
        batch_op.drop_constraint(batch_op.f("fk_receipt_codes_pad_id_receipt_pads"), type_="foreignkey")
        batch_op.drop_column("pad_id")
    with op.batch_alter_table("receipt_pads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_receipt_pads_user_id"))
    op.drop_table("receipt_pads")
