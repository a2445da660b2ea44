""""Et après" (what happens next, written at clôture) on each atelier, and a démarche's review link.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 14:00:00
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('atelier', sa.Column('after_text', sa.Text(), nullable=False, server_default=''))
    # Added in place, then filled row by row: each existing démarche gets its own secret.
    op.add_column('demarche', sa.Column('review_token', sa.String(length=64), nullable=False, server_default=''))
    demarche = sa.table('demarche', sa.column('id', sa.Integer()), sa.column('review_token', sa.String(length=64)))
    connection = op.get_bind()
    for (demarche_id,) in connection.execute(sa.select(demarche.c.id)).all():
        connection.execute(demarche.update().where(demarche.c.id == demarche_id).values(review_token=secrets.token_urlsafe(24)))
    op.create_index('ix_demarche_review_token', 'demarche', ['review_token'], unique=True)


def downgrade() -> None:
    op.drop_index('ix_demarche_review_token', table_name='demarche')
    with op.batch_alter_table('demarche') as batch:
        batch.drop_column('review_token')
    with op.batch_alter_table('atelier') as batch:
        batch.drop_column('after_text')
