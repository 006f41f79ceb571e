"""programme import (placeholder: filled in by the work it is assigned to; an empty revision changes nothing)

Revision ID: 0016_programme_import
Revises: 0015_improve_versions
Create Date: 2026-11-26

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = '0016_programme_import'
down_revision = '0015_improve_versions'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
