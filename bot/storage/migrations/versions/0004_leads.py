"""Leads: owners who asked to talk to a person, agreed to pass on their profile and plan, and left an
email address or phone number. Removed with the rest of a sender's data on "delete my data".

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "leads",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("sender_id", sa.String(255), nullable=False, index=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("channel", sa.String(32)),
        sa.Column("contact_kind", sa.String(16), nullable=False),
        sa.Column("contact", sa.String(320), nullable=False),
        sa.Column("consent", sa.Text, nullable=False),
        sa.Column("summary", sa.Text),
        sa.Column("notified", sa.String(16)),
        sa.Column("payload", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("leads")
