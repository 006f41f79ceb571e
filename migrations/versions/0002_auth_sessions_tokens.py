"""sessions, sign-in throttling and named API tokens

Revision ID: 0002_auth_sessions
Revises: 1c572ca7f2e4
Create Date: 2026-11-25

Placeholder in the chain, filled in by the change it is named for.
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

import ciapp.core.types  # noqa: F401

revision = '0002_auth_sessions'
down_revision = '1c572ca7f2e4'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
