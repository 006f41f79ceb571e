"""programme import: an import draft may belong to no project (a project register or a
benefits spreadsheet brought in by ciapp.programme keeps its upload as a draft too)

Revision ID: 0016_programme_import
Revises: 0015_improve_versions
Create Date: 2026-11-26

"""
from alembic import op
import sqlalchemy as sa


revision = '0016_programme_import'
down_revision = '0015_improve_versions'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('import_drafts', schema=None) as batch_op:
        batch_op.alter_column('project_id', existing_type=sa.Integer(), nullable=True)


def downgrade():
    # Programme drafts have no project to keep them under; they are uploads waiting for a
    # confirm, so going back forgets them.
    op.execute("DELETE FROM import_drafts WHERE project_id IS NULL")
    with op.batch_alter_table('import_drafts', schema=None) as batch_op:
        batch_op.alter_column('project_id', existing_type=sa.Integer(), nullable=False)
