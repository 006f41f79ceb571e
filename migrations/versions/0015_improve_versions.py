"""improve versions: a version column for control plan rows and lessons learned (they were
counted from the audit trail), and a description for countermeasures

Revision ID: 0015_improve_versions
Revises: 0014_kpis
Create Date: 2026-11-26

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = '0015_improve_versions'
down_revision = '0014_kpis'
branch_labels = None
depends_on = None


def upgrade():
    # server_default fills the rows that exist (version 1, no description); it is then
    # dropped, so the models' Python defaults stay the one source of new rows' values.
    with op.batch_alter_table('control_plan_rows', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False,
                                      server_default='1'))
    with op.batch_alter_table('countermeasures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('description', sa.Text(), nullable=False,
                                      server_default=''))
    with op.batch_alter_table('project_lessons', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False,
                                      server_default='1'))

    for table, column in (('control_plan_rows', 'version'),
                          ('countermeasures', 'description'),
                          ('project_lessons', 'version')):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(column, server_default=None)


def downgrade():
    with op.batch_alter_table('project_lessons', schema=None) as batch_op:
        batch_op.drop_column('version')
    with op.batch_alter_table('countermeasures', schema=None) as batch_op:
        batch_op.drop_column('description')
    with op.batch_alter_table('control_plan_rows', schema=None) as batch_op:
        batch_op.drop_column('version')
