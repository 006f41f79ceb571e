"""KPI stages for projects (placeholder: filled in by the work it is assigned to; an empty revision changes nothing)

Revision ID: 0018_kpi_stages
Revises: 0017_kpi_reports
Create Date: 2026-11-26

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = '0018_kpi_stages'
down_revision = '0017_kpi_reports'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
