"""review: field changes, comments, duplicate pairs, merges, register books; queue indexes and name search

Revision ID: 0002_review
Revises: 0001_foundation
Create Date: 2026-11-25 03:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0002_review"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None

#: the work queue's orders and filters, per commune (a clerk) and per province (a province-level user)
QUEUE_INDEXES = {
    "ix_records_commune_state_sort": ["commune_code", "state", "subject_sort_key", "id"],
    "ix_records_commune_captured": ["commune_code", "captured_at", "id"],
    "ix_records_commune_village": ["commune_code", "village"],
    "ix_records_province_sort": ["province_code", "subject_sort_key", "id"],
    "ix_records_province_captured": ["province_code", "captured_at", "id"],
}


def _enum(name, values, length):
    return sa.Enum(*values, name=name, native_enum=False, length=length)


def upgrade():
    op.create_table(
        "field_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=120), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("changed_by_id", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], name=op.f("fk_field_changes_record_id_records"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["changed_by_id"], ["users.id"], name=op.f("fk_field_changes_changed_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_changes")),
    )
    op.create_index("ix_field_changes_record", "field_changes", ["record_id", "id"])

    op.create_table(
        "review_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], name=op.f("fk_review_comments_record_id_records"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_review_comments_author_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_comments")),
    )
    op.create_index("ix_review_comments_record", "review_comments", ["record_id", "id"])

    op.create_table(
        "duplicate_pairs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_a", sa.String(length=36), nullable=False),
        sa.Column("record_b", sa.String(length=36), nullable=False),
        sa.Column("commune_code", sa.String(length=5), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("status", _enum("pairstatus", ["open", "duplicate", "distinct"], 10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["record_a"], ["records.id"], name=op.f("fk_duplicate_pairs_record_a_records"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["record_b"], ["records.id"], name=op.f("fk_duplicate_pairs_record_b_records"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["resolved_by_id"], ["users.id"], name=op.f("fk_duplicate_pairs_resolved_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duplicate_pairs")),
        sa.UniqueConstraint("record_a", "record_b", name="uq_duplicate_pairs_pair"),
    )
    op.create_index("ix_duplicate_pairs_status_commune", "duplicate_pairs", ["status", "commune_code", "id"])
    op.create_index("ix_duplicate_pairs_record_b", "duplicate_pairs", ["record_b"])

    op.create_table(
        "record_merges",
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("into_id", sa.String(length=36), nullable=False),
        sa.Column("merged_by_id", sa.Integer(), nullable=False),
        sa.Column("merged_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], name=op.f("fk_record_merges_record_id_records"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["into_id"], ["records.id"], name=op.f("fk_record_merges_into_id_records"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["merged_by_id"], ["users.id"], name=op.f("fk_record_merges_merged_by_id_users")),
        sa.PrimaryKeyConstraint("record_id", name=op.f("pk_record_merges")),
    )
    op.create_index("ix_record_merges_into_id", "record_merges", ["into_id"])

    op.create_table(
        "register_books",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("commune_code", sa.String(length=5), nullable=False),
        sa.Column("type", _enum("recordtype", ["household", "birth", "death", "marriage"], 12), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("book_number", sa.String(length=40), nullable=False),
        sa.Column("entries_total", sa.Integer(), nullable=False),
        sa.Column("pages_total", sa.Integer(), nullable=True),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=255), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["commune_code"], ["admin_units.code"], name=op.f("fk_register_books_commune_code_admin_units")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_register_books_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_books")),
        sa.UniqueConstraint("commune_code", "type", "year", "book_number", name="uq_register_books_book"),
    )

    op.create_table(
        "register_pages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("book_id", sa.Integer(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["book_id"], ["register_books.id"], name=op.f("fk_register_pages_book_id_register_books"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["sha256"], ["attachments.sha256"], name=op.f("fk_register_pages_sha256_attachments")),
        sa.ForeignKeyConstraint(["uploaded_by_id"], ["users.id"], name=op.f("fk_register_pages_uploaded_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_pages")),
        sa.UniqueConstraint("book_id", "page", name="uq_register_pages_book_page"),
    )

    op.create_table(
        "register_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("book_id", sa.Integer(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("entry_number", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("keyed_by_id", sa.Integer(), nullable=False),
        sa.Column("keyed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["book_id"], ["register_books.id"], name=op.f("fk_register_entries_book_id_register_books"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], name=op.f("fk_register_entries_record_id_records"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["keyed_by_id"], ["users.id"], name=op.f("fk_register_entries_keyed_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_entries")),
        sa.UniqueConstraint("book_id", "entry_number", name="uq_register_entries_book_entry"),
        sa.UniqueConstraint("record_id", name=op.f("uq_register_entries_record_id")),
    )

    for name, columns in QUEUE_INDEXES.items():
        op.create_index(name, "records", columns)
    create_name_search()


def downgrade():
    drop_name_search()
    for name in QUEUE_INDEXES:
        op.drop_index(name, table_name="records")
    for table in ("register_entries", "register_pages", "register_books", "record_merges", "duplicate_pairs",
                  "review_comments", "field_changes"):
        op.drop_table(table)


def create_name_search():
    """Word search over folded names: FTS5 on SQLite, trigram GIN on PostgreSQL."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(
            "CREATE INDEX ix_record_people_name_trgm ON record_people USING gin (name_folded gin_trgm_ops)"
        )
        return
    op.execute(
        "CREATE VIRTUAL TABLE record_people_fts USING fts5("
        "name_folded, content='record_people', content_rowid='id', tokenize='unicode61')"
    )
    op.execute("INSERT INTO record_people_fts(rowid, name_folded) SELECT id, name_folded FROM record_people")
    op.execute(
        "CREATE TRIGGER record_people_fts_ai AFTER INSERT ON record_people BEGIN "
        "INSERT INTO record_people_fts(rowid, name_folded) VALUES (new.id, new.name_folded); END"
    )
    op.execute(
        "CREATE TRIGGER record_people_fts_ad AFTER DELETE ON record_people BEGIN "
        "INSERT INTO record_people_fts(record_people_fts, rowid, name_folded) "
        "VALUES ('delete', old.id, old.name_folded); END"
    )
    op.execute(
        "CREATE TRIGGER record_people_fts_au AFTER UPDATE OF name_folded ON record_people BEGIN "
        "INSERT INTO record_people_fts(record_people_fts, rowid, name_folded) "
        "VALUES ('delete', old.id, old.name_folded); "
        "INSERT INTO record_people_fts(rowid, name_folded) VALUES (new.id, new.name_folded); END"
    )


def drop_name_search():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_record_people_name_trgm")
        return
    for suffix in ("ai", "ad", "au"):
        op.execute(f"DROP TRIGGER IF EXISTS record_people_fts_{suffix}")
    op.execute("DROP TABLE IF EXISTS record_people_fts")
