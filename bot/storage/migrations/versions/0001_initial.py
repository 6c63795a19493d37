"""Initial schema: profiles and plans.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""
from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "profiles",
        sa.Column("sender_id", sa.String(255), primary_key=True),
        sa.Column("industry", sa.String(255)),
        sa.Column("head_count_low", sa.Integer),
        sa.Column("head_count_high", sa.Integer),
        sa.Column("budget_kind", sa.String(32)),
        sa.Column("budget_amount", sa.Float),
        sa.Column("budget_currency", sa.String(16)),
        sa.Column("budget_period", sa.String(32)),
        sa.Column("tools", sa.Text),
        sa.Column("goal", sa.Text),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("level", sa.Integer),
        sa.Column("step_ids", sa.Text, nullable=False),
        sa.Column("currency", sa.String(16)),
        sa.Column("payload", sa.Text, nullable=False),
    )
    op.create_index("ix_plans_sender_id", "plans", ["sender_id"])


def downgrade() -> None:
    op.drop_index("ix_plans_sender_id", table_name="plans")
    op.drop_table("plans")
    op.drop_table("profiles")
