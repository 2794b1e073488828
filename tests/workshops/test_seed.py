import pytest
from django.core.management import call_command
from django.utils import timezone

from funding.models import Aide
from workshops.models import Atelier, Immersion, Inscription, Public
from workshops.services import immersion_errors


pytestmark = pytest.mark.django_db


def test_seed_demo_workshops_immersions_and_aids():
    call_command("seed_demo", verbosity=0)
    zelles = Atelier.objects.get(intitule="Les Z'ELLES")
    assert zelles.public == Public.FEMMES
    assert not Atelier.objects.filter(seances__isnull=True).exists()
    assert Inscription.objects.filter(seance__atelier=zelles).exists()
    assert not Inscription.objects.filter(seance__atelier=zelles).exclude(jeune__sexe="F").exists()
    assert Inscription.objects.filter(presence="present").exists()
    # the seed: 15 permis AM and one Z'ELLES session each year of En mode emploi
    for year in range(2023, timezone.localdate().year + 1):
        permis = Aide.objects.filter(
            participation__operation__code="EME", kind="permis_am", date_attribution__year=year
        ).count()
        assert permis == 15, (year, permis)
        assert zelles.seances.filter(date__year=year).count() == 1
    immersions = list(Immersion.objects.select_related("entreprise")[:40])
    assert immersions
    assert all(immersion_errors(i) == {} for i in immersions)
    assert all(i.entreprise.organisation_id == i.organisation_id for i in immersions)
