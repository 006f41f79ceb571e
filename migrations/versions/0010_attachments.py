"""attachments: placeholder, filled in by the attachments work

Revision ID: 0010_attachments
Revises: 0009_improve
Create Date: 2026-11-26

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

import ciapp.core.types  # noqa: F401


revision = '0010_attachments'
down_revision = '0009_improve'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
