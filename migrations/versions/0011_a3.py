"""a3: the A3 of a closed project, kept as it was at closing

Revision ID: 0011_a3
Revises: 0010_attachments
Create Date: 2026-11-26

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

import ciapp.core.types  # noqa: F401


revision = '0011_a3'
down_revision = '0010_attachments'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('a3_snapshots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('taken_at', ciapp.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_a3_snapshots_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_a3_snapshots')),
    sa.UniqueConstraint('project_id', name=op.f('uq_a3_snapshots_project_id'))
    )


def downgrade():
    op.drop_table('a3_snapshots')
