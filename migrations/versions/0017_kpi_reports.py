"""KPI report schedules (placeholder: filled in by the work it is assigned to; an empty revision changes nothing)

Revision ID: 0017_kpi_reports
Revises: 0016_programme_import
Create Date: 2026-11-26

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = '0017_kpi_reports'
down_revision = '0016_programme_import'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
