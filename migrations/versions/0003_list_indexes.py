"""indexes behind the project list and API

Revision ID: 0003_list_indexes
Revises: 0002_auth_sessions
Create Date: 2026-11-25

The project list and the API list sort by (created_at, id), newest first; read backwards,
this index hands out a page without sorting the whole table.
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
        batch_op.create_index('ix_projects_created_at_id', ['created_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_index('ix_projects_created_at_id')
