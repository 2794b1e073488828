"""Store every account e-mail in its normalised form (core.accounts.normalize_email: strip + lower case).

Lookups and the lockout key are now exact on the normalised address. An address whose normalised form is
already taken by another account is left as it is (the admin must merge the two accounts by hand).
"""

from django.db import migrations


def normalize(apps, schema_editor):
    User = apps.get_model("core", "User")
    for user in User.objects.all().only("pk", "email"):
        email = user.email.strip().lower()
        if email != user.email and not User.objects.filter(email=email).exclude(pk=user.pk).exists():
            User.objects.filter(pk=user.pk).update(email=email)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_organisation_cree_par")]

    operations = [migrations.RunPython(normalize, migrations.RunPython.noop)]
