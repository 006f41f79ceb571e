"""benefits: benefit lines, their realized months, project costs

Revision ID: 0012_benefits
Revises: 0011_a3
Create Date: 2026-11-26

"""
from alembic import op
import sqlalchemy as sa

import ciapp.core.types  # noqa: F401


revision = '0012_benefits'
down_revision = '0011_a3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('project_costs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('amount', ciapp.core.types.Money(precision=14, scale=2), nullable=False),
    sa.Column('created_at', ciapp.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount > 0', name=op.f('ck_project_costs_amount_positive')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_costs_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_costs'))
    )
    with op.batch_alter_table('project_costs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_costs_project_id'), ['project_id'], unique=False)

    op.create_table('benefit_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('method', sa.Text(), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=15, scale=4), nullable=False),
    sa.Column('quantity_unit', sa.String(length=40), nullable=False),
    sa.Column('unit_value', ciapp.core.types.Money(precision=14, scale=2), nullable=False),
    sa.Column('projected', ciapp.core.types.Money(precision=14, scale=2), nullable=False),
    sa.Column('start_month', sa.Date(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.Column('change', sa.Float(), nullable=True),
    sa.Column('change_low', sa.Float(), nullable=True),
    sa.Column('change_high', sa.Float(), nullable=True),
    sa.Column('p_value', sa.Float(), nullable=True),
    sa.Column('volume', sa.Numeric(precision=15, scale=4), nullable=True),
    sa.Column('range_low', ciapp.core.types.Money(precision=14, scale=2), nullable=True),
    sa.Column('range_high', ciapp.core.types.Money(precision=14, scale=2), nullable=True),
    sa.Column('backed', sa.Boolean(), nullable=False),
    sa.Column('projected_state', sa.String(length=10), nullable=False),
    sa.Column('projected_comment', sa.Text(), nullable=False),
    sa.Column('projected_by_id', sa.Integer(), nullable=True),
    sa.Column('projected_at', ciapp.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', ciapp.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', ciapp.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('projected >= 0', name=op.f('ck_benefit_lines_projected_not_negative')),
    sa.CheckConstraint('unit_value >= 0', name=op.f('ck_benefit_lines_unit_value_not_negative')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_benefit_lines_created_by_id_users')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_benefit_lines_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['projected_by_id'], ['users.id'], name=op.f('fk_benefit_lines_projected_by_id_users')),
    sa.ForeignKeyConstraint(['record_id'], ['analysis_records.id'], name=op.f('fk_benefit_lines_record_id_analysis_records'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_benefit_lines'))
    )
    with op.batch_alter_table('benefit_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_benefit_lines_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_benefit_lines_projected_state'), ['projected_state'], unique=False)
        batch_op.create_index(batch_op.f('ix_benefit_lines_record_id'), ['record_id'], unique=False)

    op.create_table('benefit_months',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('amount', ciapp.core.types.Money(precision=14, scale=2), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('validated_by_id', sa.Integer(), nullable=True),
    sa.Column('validated_at', ciapp.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['line_id'], ['benefit_lines.id'], name=op.f('fk_benefit_months_line_id_benefit_lines'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['validated_by_id'], ['users.id'], name=op.f('fk_benefit_months_validated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_benefit_months')),
    sa.UniqueConstraint('line_id', 'month', name=op.f('uq_benefit_months_line_id_month'))
    )
    with op.batch_alter_table('benefit_months', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_benefit_months_line_id'), ['line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_benefit_months_state'), ['state'], unique=False)


def downgrade():
    with op.batch_alter_table('benefit_months', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_benefit_months_state'))
        batch_op.drop_index(batch_op.f('ix_benefit_months_line_id'))

    op.drop_table('benefit_months')
    with op.batch_alter_table('benefit_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_benefit_lines_record_id'))
        batch_op.drop_index(batch_op.f('ix_benefit_lines_projected_state'))
        batch_op.drop_index(batch_op.f('ix_benefit_lines_project_id'))

    op.drop_table('benefit_lines')
    with op.batch_alter_table('project_costs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_costs_project_id'))

    op.drop_table('project_costs')
