"""portfolio: project health reports, improvement ideas, and indexes the board reads

Revision ID: 0013_portfolio
Revises: 0012_benefits
Create Date: 2026-11-26

"""
from alembic import op
import sqlalchemy as sa

import ciapp.core.types


revision = '0013_portfolio'
down_revision = '0012_benefits'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('health_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('health', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=False),
    sa.Column('set_at', ciapp.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("health IN ('on_track', 'at_risk', 'off_track')", name=op.f('ck_health_updates_health')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_health_updates_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['set_by_id'], ['users.id'], name=op.f('fk_health_updates_set_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_health_updates'))
    )
    with op.batch_alter_table('health_updates', schema=None) as batch_op:
        batch_op.create_index('ix_health_updates_project_id_id', ['project_id', 'id'], unique=False)

    op.create_table('ideas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('benefit', sa.Text(), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=False),
    sa.Column('submitted_at', ciapp.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('effort', sa.Integer(), nullable=True),
    sa.Column('impact', sa.Integer(), nullable=True),
    sa.Column('scored_by_id', sa.Integer(), nullable=True),
    sa.Column('scored_at', ciapp.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('decision_note', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', ciapp.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('new', 'project', 'quick_win', 'declined')", name=op.f('ck_ideas_status')),
    sa.CheckConstraint('effort IS NULL OR (effort BETWEEN 1 AND 10)', name=op.f('ck_ideas_effort_range')),
    sa.CheckConstraint('impact IS NULL OR (impact BETWEEN 1 AND 10)', name=op.f('ck_ideas_impact_range')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_ideas_decided_by_id_users')),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_units.id'], name=op.f('fk_ideas_org_unit_id_org_units')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_ideas_project_id_projects'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['scored_by_id'], ['users.id'], name=op.f('fk_ideas_scored_by_id_users')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_ideas_submitted_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ideas'))
    )
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.create_index('ix_ideas_status_submitted_at', ['status', 'submitted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_ideas_submitted_by_id'), ['submitted_by_id'], unique=False)

    # What the board and the attention list read for every project, from an index.
    with op.batch_alter_table('action_items', schema=None) as batch_op:
        batch_op.create_index('ix_action_items_due_date_status_project_id', ['due_date', 'status', 'project_id'], unique=False)

    with op.batch_alter_table('gate_reviews', schema=None) as batch_op:
        batch_op.create_index('ix_gate_reviews_status_project_id_decided_at', ['status', 'project_id', 'decided_at'], unique=False)


def downgrade():
    with op.batch_alter_table('gate_reviews', schema=None) as batch_op:
        batch_op.drop_index('ix_gate_reviews_status_project_id_decided_at')

    with op.batch_alter_table('action_items', schema=None) as batch_op:
        batch_op.drop_index('ix_action_items_due_date_status_project_id')

    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ideas_submitted_by_id'))
        batch_op.drop_index('ix_ideas_status_submitted_at')

    op.drop_table('ideas')
    with op.batch_alter_table('health_updates', schema=None) as batch_op:
        batch_op.drop_index('ix_health_updates_project_id_id')

    op.drop_table('health_updates')
