"""benefits: placeholder, filled in by the benefits work

Revision ID: 0012_benefits
Revises: 0011_a3
Create Date: 2026-11-26

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

import ciapp.core.types  # noqa: F401


revision = '0012_benefits'
down_revision = '0011_a3'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
