"""sustain flags: signals in a closed project's new data

Revision ID: 0007_sustain_flags
Revises: 0006_import_drafts
Create Date: 2026-11-26

"""
from alembic import op
import sqlalchemy as sa

import ciapp.core.types


revision = '0007_sustain_flags'
down_revision = '0006_import_drafts'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sustain_flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('dataset_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('points', sa.String(length=200), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('raised_at', ciapp.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('cleared_at', ciapp.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cleared_note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['dataset_id'], ['datasets.id'], name=op.f('fk_sustain_flags_dataset_id_datasets'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_sustain_flags_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sustain_flags'))
    )
    with op.batch_alter_table('sustain_flags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sustain_flags_dataset_id'), ['dataset_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sustain_flags_project_id'), ['project_id'], unique=False)


def downgrade():
    op.drop_table('sustain_flags')
