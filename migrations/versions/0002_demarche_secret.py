"""A démarche's secret: whoever holds it may add an atelier to the démarche (names are no longer shared).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 11:45:00
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Added in place, not by a batch copy: SQLite could not drop `demarche` while ateliers point at it.
    op.add_column('demarche', sa.Column('token', sa.String(length=64), nullable=False, server_default=''))
    demarche = sa.table('demarche', sa.column('id', sa.Integer()), sa.column('token', sa.String(length=64)))
    connection = op.get_bind()
    for (demarche_id,) in connection.execute(sa.select(demarche.c.id)).all():
        connection.execute(demarche.update().where(demarche.c.id == demarche_id).values(token=secrets.token_urlsafe(24)))
    op.create_index('ix_demarche_token', 'demarche', ['token'], unique=True)


def downgrade() -> None:
    op.drop_index('ix_demarche_token', table_name='demarche')
    with op.batch_alter_table('demarche') as batch:
        batch.drop_column('token')
