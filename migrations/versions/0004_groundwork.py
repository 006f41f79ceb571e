"""groundwork: money, children of a project, versions

Revision ID: 0004_groundwork
Revises: 0003_list_indexes
Create Date: 2026-11-25

Placeholder in the chain, filled in by the change it is named for.
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

import ciapp.core.types  # noqa: F401

revision = '0004_groundwork'
down_revision = '0003_list_indexes'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
