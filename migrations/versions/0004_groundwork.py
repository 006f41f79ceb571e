"""groundwork: money, children of a project, versions

Revision ID: 0004_groundwork
Revises: 0003_list_indexes
Create Date: 2026-11-25

No schema change was needed: org units moved to a package of their own but keep the
org_units table as it was, and the Money column type (core.types.Money, Numeric(14, 2)) has
no column using it yet; benefits will add theirs in their own migration. The revision stays
in the chain so the ids after it do not move.
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
