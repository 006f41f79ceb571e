"""kpi stages: a KPI-linked project names its KPI data set and the date its change took effect

Revision ID: 0018_kpi_stages
Revises: 0017_kpi_reports
Create Date: 2026-11-26

"""
from alembic import op
import sqlalchemy as sa


revision = '0018_kpi_stages'
down_revision = '0017_kpi_reports'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('kpi_projects', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dataset_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('change_date', sa.Date(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_kpi_projects_dataset_id_datasets'),
                                    'datasets', ['dataset_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('kpi_projects', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_kpi_projects_dataset_id_datasets'),
                                 type_='foreignkey')
        batch_op.drop_column('change_date')
        batch_op.drop_column('dataset_id')
