"""Telegram updates claimed by one replica, so that several servers behind a proxy handle each update
once. Rows older than a week are pruned as new ones come (Telegram resends for at most a day).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "telegram_updates",
        sa.Column("bot_key", sa.String(64), primary_key=True),
        sa.Column("update_id", sa.Integer, primary_key=True),
        sa.Column("claimed_at", sa.DateTime, nullable=False, index=True),
    )


def downgrade() -> None:
    op.drop_table("telegram_updates")
