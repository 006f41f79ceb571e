"""indexes behind the project list and API

Revision ID: 0003_list_indexes
Revises: 0002_auth_sessions
Create Date: 2026-11-25

The project list and the API list sort by (created_at, id), newest first; read backwards,
an index on those hands out a page without sorting the whole table. With phase or status in
front, it does the same for a page of one phase or status (the single-column indexes on
phase and status, now their prefixes, go).
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

import ciapp.core.types  # noqa: F401

revision = '0003_list_indexes'
down_revision = '0002_auth_sessions'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_index('ix_projects_phase')
        batch_op.drop_index('ix_projects_status')
        batch_op.create_index('ix_projects_created_at_id', ['created_at', 'id'], unique=False)
        batch_op.create_index('ix_projects_phase_created_at_id', ['phase', 'created_at', 'id'],
                              unique=False)
        batch_op.create_index('ix_projects_status_created_at_id',
                              ['status', 'created_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_index('ix_projects_status_created_at_id')
        batch_op.drop_index('ix_projects_phase_created_at_id')
        batch_op.drop_index('ix_projects_created_at_id')
        batch_op.create_index('ix_projects_status', ['status'], unique=False)
        batch_op.create_index('ix_projects_phase', ['phase'], unique=False)
