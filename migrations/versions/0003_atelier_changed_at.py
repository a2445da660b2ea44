"""When an atelier last changed: the date of its synthesis' version ("version du 1er décembre 2026 à 10 h 42").

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 11:50:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('atelier', sa.Column('changed_at', sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('atelier') as batch:
        batch.drop_column('changed_at')
