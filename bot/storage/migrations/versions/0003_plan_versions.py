"""Plans as versioned records: each plan a sender was given keeps its number, the profile it was made
for and the constraints it was made under ("something cheaper", steps ruled out, tools owned).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.add_column(sa.Column("version", sa.Integer))
        batch.add_column(sa.Column("profile", sa.Text))
        batch.add_column(sa.Column("constraints", sa.Text))
        batch.add_column(sa.Column("change", sa.String(32)))
    # Plans saved before: numbered per sender in the order they were saved.
    op.execute("UPDATE plans SET version = (SELECT COUNT(*) FROM plans AS earlier "
               "WHERE earlier.sender_id = plans.sender_id AND earlier.id <= plans.id)")
    with op.batch_alter_table("plans") as batch:
        batch.alter_column("version", existing_type=sa.Integer, nullable=False)
        batch.create_unique_constraint("uq_plans_sender_version", ["sender_id", "version"])


def downgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.drop_constraint("uq_plans_sender_version", type_="unique")
        batch.drop_column("change")
        batch.drop_column("constraints")
        batch.drop_column("profile")
        batch.drop_column("version")
