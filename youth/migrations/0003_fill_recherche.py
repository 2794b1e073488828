from django.db import migrations


def fill(apps, schema_editor):
    from youth.models import search_key

    Jeune = apps.get_model("youth", "Jeune")
    for jeune in Jeune.objects.filter(recherche="").only("pk", "nom", "prenom", "reference").iterator():
        Jeune.objects.filter(pk=jeune.pk).update(recherche=search_key(jeune.nom, jeune.prenom, jeune.reference))


class Migration(migrations.Migration):
    dependencies = [("youth", "0002_parcours")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
