"""The schema of the first release: the tables as `create_all` made them before migrations.

Revision ID: 0001
Revises: (none)
Create Date: 2026-12-01 11:14:53.594437
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('demarche',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('template_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('atelier',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('demarche_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('template_id', sa.String(length=64), nullable=False),
    sa.Column('format_id', sa.String(length=64), nullable=False),
    sa.Column('audience', sa.String(length=200), nullable=True),
    sa.Column('held_on', sa.String(length=10), nullable=True),
    sa.Column('phase_index', sa.Integer(), nullable=False),
    sa.Column('phase_locked', sa.Boolean(), nullable=False),
    sa.Column('timer_ends_at', sa.DateTime(), nullable=True),
    sa.Column('timer_remaining', sa.Integer(), nullable=True),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.Column('join_code', sa.String(length=12), nullable=False),
    sa.Column('facilitator_token', sa.String(length=64), nullable=False),
    sa.Column('screen_token', sa.String(length=64), nullable=False),
    sa.Column('review_token', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('stage_version', sa.Integer(), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('carried', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('phase_index >= 0', name='phase_index_not_negative'),
    sa.ForeignKeyConstraint(['demarche_id'], ['demarche.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('facilitator_token'),
    sa.UniqueConstraint('join_code'),
    sa.UniqueConstraint('review_token'),
    sa.UniqueConstraint('screen_token')
    )
    op.create_table('applied_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('atelier_id', sa.Integer(), nullable=False),
    sa.Column('actor', sa.String(length=32), nullable=False),
    sa.Column('op_id', sa.String(length=64), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['atelier_id'], ['atelier.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('atelier_id', 'actor', 'op_id', name='one_application_per_action')
    )
    op.create_table('engagement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('atelier_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('how', sa.JSON(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['atelier_id'], ['atelier.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('engagement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_engagement_atelier_id'), ['atelier_id'], unique=False)

    op.create_table('participant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('atelier_id', sa.Integer(), nullable=False),
    sa.Column('pseudonym', sa.String(length=40), nullable=False),
    sa.Column('pseudonym_key', sa.String(length=40), nullable=False),
    sa.Column('persona_id', sa.String(length=64), nullable=True),
    sa.Column('college', sa.String(length=200), nullable=True),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('rejoin_code', sa.String(length=12), nullable=False),
    sa.Column('joined_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['atelier_id'], ['atelier.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('atelier_id', 'pseudonym_key', name='one_pseudonym_per_atelier'),
    sa.UniqueConstraint('atelier_id', 'rejoin_code', name='one_rejoin_code_per_atelier'),
    sa.UniqueConstraint('token')
    )
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participant_atelier_id'), ['atelier_id'], unique=False)

    op.create_table('engagement_support',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('persona_id', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagement.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('engagement_id', 'participant_id', name='one_support_per_engagement')
    )
    op.create_table('paradox_choice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('atelier_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('persona_id', sa.String(length=64), nullable=True),
    sa.Column('paradox_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['atelier_id'], ['atelier.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('participant_id', 'paradox_id', name='one_choice_per_paradox')
    )
    with op.batch_alter_table('paradox_choice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_paradox_choice_atelier_id'), ['atelier_id'], unique=False)

    op.create_table('piste',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('atelier_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=True),
    sa.Column('persona_id', sa.String(length=64), nullable=True),
    sa.Column('theme_id', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('horizon', sa.String(length=16), nullable=False),
    sa.Column('hashtags', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('origin_atelier_id', sa.Integer(), nullable=True),
    sa.Column('origin_label', sa.String(length=200), nullable=True),
    sa.Column('origin_piste_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('visible', 'hidden', 'withdrawn', 'merged')", name='known_piste_status'),
    sa.CheckConstraint('merged_into_id IS NULL OR merged_into_id != id', name='not_merged_into_itself'),
    sa.ForeignKeyConstraint(['atelier_id'], ['atelier.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['merged_into_id'], ['piste.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['origin_atelier_id'], ['atelier.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['origin_piste_id'], ['piste.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('piste', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_piste_atelier_id'), ['atelier_id'], unique=False)
        batch_op.create_index('ix_piste_atelier_theme', ['atelier_id', 'theme_id'], unique=False)

    op.create_table('reve',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('atelier_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=True),
    sa.Column('persona_id', sa.String(length=64), nullable=True),
    sa.Column('theme_id', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['atelier_id'], ['atelier.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('reve', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reve_atelier_id'), ['atelier_id'], unique=False)

    op.create_table('review_comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('atelier_id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=True),
    sa.Column('reviewer', sa.String(length=80), nullable=False),
    sa.Column('opinion', sa.String(length=12), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('op_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("opinion IS NULL OR opinion IN ('favorable', 'reserve', 'a_amender')", name='known_opinion'),
    sa.ForeignKeyConstraint(['atelier_id'], ['atelier.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagement.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('atelier_id', 'op_id', name='one_comment_per_submission')
    )
    with op.batch_alter_table('review_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_comment_atelier_id'), ['atelier_id'], unique=False)

    op.create_table('value_vote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('atelier_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('persona_id', sa.String(length=64), nullable=True),
    sa.Column('value_id', sa.String(length=64), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('points > 0', name='points_positive'),
    sa.ForeignKeyConstraint(['atelier_id'], ['atelier.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('participant_id', 'value_id', name='one_vote_per_value')
    )
    with op.batch_alter_table('value_vote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_value_vote_atelier_id'), ['atelier_id'], unique=False)

    op.create_table('value_word',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('atelier_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('persona_id', sa.String(length=64), nullable=True),
    sa.Column('value_id', sa.String(length=64), nullable=False),
    sa.Column('word', sa.String(length=40), nullable=False),
    sa.Column('word_key', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['atelier_id'], ['atelier.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('participant_id', 'value_id', 'word_key', name='one_word_once')
    )
    with op.batch_alter_table('value_word', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_value_word_atelier_id'), ['atelier_id'], unique=False)

    op.create_table('engagement_piste',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=False),
    sa.Column('piste_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagement.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['piste_id'], ['piste.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('piste_id')
    )
    op.create_table('support',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('atelier_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('persona_id', sa.String(length=64), nullable=True),
    sa.Column('piste_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['atelier_id'], ['atelier.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['piste_id'], ['piste.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('participant_id', 'piste_id', name='one_support_per_piste')
    )
    with op.batch_alter_table('support', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_atelier_id'), ['atelier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_piste_id'), ['piste_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('support', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_piste_id'))
        batch_op.drop_index(batch_op.f('ix_support_atelier_id'))

    op.drop_table('support')
    op.drop_table('engagement_piste')
    with op.batch_alter_table('value_word', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_value_word_atelier_id'))

    op.drop_table('value_word')
    with op.batch_alter_table('value_vote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_value_vote_atelier_id'))

    op.drop_table('value_vote')
    with op.batch_alter_table('review_comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_comment_atelier_id'))

    op.drop_table('review_comment')
    with op.batch_alter_table('reve', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reve_atelier_id'))

    op.drop_table('reve')
    with op.batch_alter_table('piste', schema=None) as batch_op:
        batch_op.drop_index('ix_piste_atelier_theme')
        batch_op.drop_index(batch_op.f('ix_piste_atelier_id'))

    op.drop_table('piste')
    with op.batch_alter_table('paradox_choice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_paradox_choice_atelier_id'))

    op.drop_table('paradox_choice')
    op.drop_table('engagement_support')
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participant_atelier_id'))

    op.drop_table('participant')
    with op.batch_alter_table('engagement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_engagement_atelier_id'))

    op.drop_table('engagement')
    op.drop_table('applied_action')
    op.drop_table('atelier')
    op.drop_table('demarche')
