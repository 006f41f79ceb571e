"""import drafts: uploaded bytes kept between the preview and the confirm

Revision ID: 0006_import_drafts
Revises: 0005_datasets
Create Date: 2026-11-25

"""
from alembic import op
import sqlalchemy as sa

import ciapp.core.types


revision = '0006_import_drafts'
down_revision = '0005_datasets'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('import_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('dataset_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('pasted', sa.Boolean(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', ciapp.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('payload', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_import_drafts_created_by_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['dataset_id'], ['datasets.id'], name=op.f('fk_import_drafts_dataset_id_datasets'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_import_drafts_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_drafts'))
    )
    with op.batch_alter_table('import_drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_drafts_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_drafts_dataset_id'), ['dataset_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_drafts_project_id'), ['project_id'], unique=False)


def downgrade():
    with op.batch_alter_table('import_drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_drafts_project_id'))
        batch_op.drop_index(batch_op.f('ix_import_drafts_dataset_id'))
        batch_op.drop_index(batch_op.f('ix_import_drafts_created_at'))

    op.drop_table('import_drafts')
