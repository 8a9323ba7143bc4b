"""devices: absolute token lifetime, device key, what the phone reports, revocation reason

Revision ID: 0009_devices
Revises: 0005_security
"""

import base64
import secrets
from datetime import timedelta

import sqlalchemy as sa
from alembic import op

revision = "0009_devices"
down_revision = "0005_security"
branch_labels = None
depends_on = None

#: tokens issued before this revision end this long after their device was created
EXISTING_TOKEN_DAYS = 90


def upgrade():
    with op.batch_alter_table("devices") as batch:
        batch.add_column(sa.Column("token_ends_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("wrap_key", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("app_version", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("last_sync_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("waiting", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("revoke_reason", sa.String(length=200), nullable=True))
    devices = sa.table(
        "devices",
        sa.column("id", sa.Integer()),
        sa.column("created_at", sa.DateTime()),
        sa.column("token_ends_at", sa.DateTime()),
        sa.column("wrap_key", sa.String()),
    )
    connection = op.get_bind()
    for device_id, created_at in connection.execute(sa.select(devices.c.id, devices.c.created_at)).all():
        key = base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode()
        connection.execute(
            devices.update()
            .where(devices.c.id == device_id)
            .values(token_ends_at=created_at + timedelta(days=EXISTING_TOKEN_DAYS), wrap_key=key)
        )


def downgrade():
    with op.batch_alter_table("devices") as batch:
        for name in ("revoke_reason", "waiting", "last_sync_at", "app_version", "wrap_key", "token_ends_at"):
            batch.drop_column(name)
