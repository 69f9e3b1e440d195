"""add email"""
revision = "002"

def upgrade():
    op.add_column("users", sa.Column("email", sa.String()))


def downgrade():
    pass
