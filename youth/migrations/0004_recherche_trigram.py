"""PostgreSQL only: trigram indexes so the youth search (``LIKE '%…%'`` on the accent-free ``recherche`` key and
``UPPER(…) LIKE`` on nom, prénom, référence) stays an index scan at territory scale (100 000 youth).

Created CONCURRENTLY is not needed here (migrations run before the service starts); SQLite is left untouched.
"""

from django.db import migrations


INDEXES = {
    "youth_jeune_recherche_trgm": '"recherche" gin_trgm_ops',
    "youth_jeune_nom_upper_trgm": 'UPPER("nom"::text) gin_trgm_ops',
    "youth_jeune_prenom_upper_trgm": 'UPPER("prenom"::text) gin_trgm_ops',
    "youth_jeune_reference_upper_trgm": 'UPPER("reference"::text) gin_trgm_ops',
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "youth_jeune" USING gin ({expression})')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("youth", "0003_fill_recherche")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
