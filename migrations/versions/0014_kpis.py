"""kpis: operational KPIs, their values per period and their governed limits

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
    op.create_table('kpis',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.Column('better', sa.String(length=10), nullable=False),
    sa.Column('target', sa.Float(), nullable=True),
    sa.Column('acceptable_low', sa.Float(), nullable=True),
    sa.Column('acceptable_high', sa.Float(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('org_unit_id', sa.Integer(), nullable=True),
    sa.Column('frequency', sa.String(length=10), nullable=False),
    sa.Column('chart', sa.String(length=4), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.Column('created_at', ciapp.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_kpis_created_by_id_users')),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_units.id'], name=op.f('fk_kpis_org_unit_id_org_units')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_kpis_owner_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpis'))
    )
    with op.batch_alter_table('kpis', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpis_org_unit_id'), ['org_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kpis_owner_id'), ['owner_id'], unique=False)

    op.create_table('kpi_limits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kpi_id', sa.Integer(), nullable=False),
    sa.Column('baseline_start', sa.Date(), nullable=False),
    sa.Column('baseline_end', sa.Date(), nullable=False),
    sa.Column('center', sa.Float(), nullable=True),
    sa.Column('lower', sa.Float(), nullable=True),
    sa.Column('upper', sa.Float(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('set_at', ciapp.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['kpi_id'], ['kpis.id'], name=op.f('fk_kpi_limits_kpi_id_kpis'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['set_by_id'], ['users.id'], name=op.f('fk_kpi_limits_set_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_limits'))
    )
    with op.batch_alter_table('kpi_limits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpi_limits_kpi_id'), ['kpi_id'], unique=False)

    op.create_table('kpi_values',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kpi_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.Date(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('n', sa.Float(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', ciapp.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_kpi_values_created_by_id_users')),
    sa.ForeignKeyConstraint(['kpi_id'], ['kpis.id'], name=op.f('fk_kpi_values_kpi_id_kpis'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_values')),
    sa.UniqueConstraint('kpi_id', 'period', name=op.f('uq_kpi_values_kpi_id_period'))
    )

    op.create_table('kpi_projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kpi_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('created_at', ciapp.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_kpi_projects_created_by_id_users')),
    sa.ForeignKeyConstraint(['kpi_id'], ['kpis.id'], name=op.f('fk_kpi_projects_kpi_id_kpis'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_kpi_projects_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_projects')),
    sa.UniqueConstraint('kpi_id', 'project_id', name=op.f('uq_kpi_projects_kpi_id_project_id'))
    )
    with op.batch_alter_table('kpi_projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpi_projects_project_id'), ['project_id'], unique=False)


def downgrade():
    with op.batch_alter_table('kpi_projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kpi_projects_project_id'))

    op.drop_table('kpi_projects')
    op.drop_table('kpi_values')
    with op.batch_alter_table('kpi_limits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kpi_limits_kpi_id'))

    op.drop_table('kpi_limits')
    with op.batch_alter_table('kpis', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kpis_owner_id'))
        batch_op.drop_index(batch_op.f('ix_kpis_org_unit_id'))

    op.drop_table('kpis')
