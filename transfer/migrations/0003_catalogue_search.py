"""The public catalogue's Chinese substring search: a pg_trgm GIN index on PostgreSQL.

``search_text`` holds the case-folded title, summary and keywords; the catalogue filters it with
``LIKE '%…%'``, which a trigram GIN index serves. On other databases (SQLite) nothing is created and the
catalogue uses a plain ``icontains``.
"""
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = (("transfer_result", "transfer_result_search_trgm"), ("transfer_demand", "transfer_demand_search_trgm"))


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, name in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_text gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("transfer", "0002_enterprise_role")]
    # TrigramExtension does nothing on other databases; the index step checks the vendor itself.
    operations = [TrigramExtension(), migrations.RunPython(create, drop)]
