"""The public catalogue's Chinese substring search: pg_trgm GIN indexes on PostgreSQL.

``search_text`` holds the case-folded title, summary and keywords; the catalogue filters it with
``LIKE '%…%'``, which a trigram GIN index serves. On other databases (SQLite) nothing is created and the
catalogue uses a plain ``icontains``.
"""
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = (
    ("transfer_result", "transfer_result_search_trgm", "gin (search_text gin_trgm_ops)"),
    ("transfer_demand", "transfer_demand_search_trgm", "gin (search_text gin_trgm_ops)"),
    # Two-character queries have no trigram: results answer them by containment in their list of bigrams.
    ("transfer_result", "transfer_result_search_grams", "gin (search_grams jsonb_path_ops)"),
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, name, method in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING {method}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, name, _method in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("transfer", "0002_enterprise_role")]
    # TrigramExtension does nothing on other databases; the index step checks the vendor itself.
    operations = [TrigramExtension(), migrations.RunPython(create, drop)]
