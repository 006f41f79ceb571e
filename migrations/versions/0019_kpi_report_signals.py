"""kpi report signals: each KPI's special-cause signals stored by period, which the operational
report reads instead of charting every KPI's values on each view

Revision ID: 0019_kpi_report_signals
Revises: 0018_kpi_stages
Create Date: 2026-11-26

"""
from alembic import op
import sqlalchemy as sa


revision = '0019_kpi_report_signals'
down_revision = '0018_kpi_stages'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('kpi_signals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kpi_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.Date(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['kpi_id'], ['kpis.id'], name=op.f('fk_kpi_signals_kpi_id_kpis'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_signals')),
    sa.UniqueConstraint('kpi_id', 'period', 'seq', name=op.f('uq_kpi_signals_kpi_id_period_seq'))
    )
    # The KPIs already there get their signals now, or their reports would show none until
    # each KPI's next value. The signals are the statistics' (control charts and run tests),
    # not SQL, so the app's own computation fills the table; it reads only the columns it
    # names (kpis, kpi_values, kpi_limits), all of them there at this revision. It is
    # imported only when there are KPIs, so a new database never depends on that code.
    bind = op.get_bind()
    kpis = bind.execute(sa.text('SELECT id, chart, frequency, better FROM kpis')).all()
    if kpis:
        from ciapp.kpis import report_signals

        for kpi in kpis:
            report_signals.store(kpi, bind)


def downgrade():
    op.drop_table('kpi_signals')
