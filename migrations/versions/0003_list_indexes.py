"""indexes behind the project list and API

Revision ID: 0003_list_indexes
Revises: 0002_auth_sessions
Create Date: 2026-11-25

Placeholder in the chain, filled in by the change it is named for.
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

import ciapp.core.types  # noqa: F401

revision = '0003_list_indexes'
down_revision = '0002_auth_sessions'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
