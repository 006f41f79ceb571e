"""a3: placeholder, filled in by the a3 work

Revision ID: 0011_a3
Revises: 0010_attachments
Create Date: 2026-11-26

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

import ciapp.core.types  # noqa: F401


revision = '0011_a3'
down_revision = '0010_attachments'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
