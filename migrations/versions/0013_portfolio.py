"""portfolio: placeholder, filled in by the portfolio work

Revision ID: 0013_portfolio
Revises: 0012_benefits
Create Date: 2026-11-26

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

import ciapp.core.types  # noqa: F401


revision = '0013_portfolio'
down_revision = '0012_benefits'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
