"""security: session tokens, login back-off, who uploaded which file, documents asked of a household

Revision ID: 0005_security
Revises: 0011_jobs
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_security"
down_revision = "0011_jobs"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("session_token", sa.String(length=32), nullable=True))
    with op.batch_alter_table("records") as batch:
        batch.add_column(sa.Column("missing_documents", sa.JSON(), nullable=True))
    op.create_table(
        "login_failures",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failed_at", sa.DateTime(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_login_failures")),
    )
    op.create_table(
        "attachment_uploads",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_attachment_uploads_user_id_users")
        ),
        sa.PrimaryKeyConstraint("sha256", "user_id", name=op.f("pk_attachment_uploads")),
    )
    # The first uploader of every stored file keeps it: their records already name it.
    op.execute(
        "INSERT INTO attachment_uploads (sha256, user_id, content_type, size, started_at, completed_at) "
        "SELECT sha256, uploaded_by_id, content_type, size, created_at, completed_at FROM attachments"
    )


def downgrade():
    op.drop_table("attachment_uploads")
    op.drop_table("login_failures")
    with op.batch_alter_table("records") as batch:
        batch.drop_column("missing_documents")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_token")
