"""kpis: placeholder, filled in by the kpis work

Revision ID: 0014_kpis
Revises: 0013_portfolio
Create Date: 2026-11-26

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

import ciapp.core.types  # noqa: F401


revision = '0014_kpis'
down_revision = '0013_portfolio'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
