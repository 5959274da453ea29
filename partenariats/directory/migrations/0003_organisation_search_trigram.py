"""A trigram index on the organisations' folded search text, PostgreSQL only: a search
(``search_text LIKE '%word%'``) then reads its matches instead of 200,000 rows. SQLite has no
such index; its demo directory is small."""

from django.db import migrations

INDEX = "organisation_search_trigram"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON directory_organisation USING gin (search_text gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_organisation_name_order")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
