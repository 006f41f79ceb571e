"""kpi reports: schedules of the operational report by e-mail, and the periods each one sent

Revision ID: 0017_kpi_reports
Revises: 0016_programme_import
Create Date: 2026-11-26

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

import ciapp.core.types  # noqa: F401


revision = '0017_kpi_reports'
down_revision = '0016_programme_import'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('kpi_report_schedules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('span', sa.String(length=10), nullable=False),
    sa.Column('recipients', sa.Text(), nullable=False),
    sa.Column('created_at', ciapp.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_kpi_report_schedules_created_by_id_users')),
    sa.ForeignKeyConstraint(['site_id'], ['org_units.id'], name=op.f('fk_kpi_report_schedules_site_id_org_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_report_schedules'))
    )
    with op.batch_alter_table('kpi_report_schedules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpi_report_schedules_site_id'), ['site_id'], unique=False)

    op.create_table('kpi_report_sends',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('schedule_id', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('sent_at', ciapp.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('destination', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['schedule_id'], ['kpi_report_schedules.id'], name=op.f('fk_kpi_report_sends_schedule_id_kpi_report_schedules'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_report_sends')),
    sa.UniqueConstraint('schedule_id', 'period_start', name=op.f('uq_kpi_report_sends_schedule_id_period_start'))
    )


def downgrade():
    op.drop_table('kpi_report_sends')
    with op.batch_alter_table('kpi_report_schedules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kpi_report_schedules_site_id'))

    op.drop_table('kpi_report_schedules')
