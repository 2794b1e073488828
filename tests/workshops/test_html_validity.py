"""Pages of workshops, employers and aids are valid HTML (Nu HTML Checker, errors only)."""

import pytest
from django.test import Client
from django.urls import reverse

from core.models import Role
from tests.aids.authz import make_aide
from tests.browser import htmlcheck
from tests.core.factories import MembershipFactory
from tests.employers.factories import EntrepriseFactory, InteractionFactory, PlacementFactory, SuiviPlacementFactory
from tests.workshops.factories import AtelierFactory, ImmersionFactory, InscriptionFactory, SeanceFactory


pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(htmlcheck.unavailable_reason() is not None, reason=htmlcheck.unavailable_reason() or ""),
]


def test_pages_are_valid_html():
    coordination = MembershipFactory(role=Role.COORDINATEUR)
    org = coordination.organisation
    atelier = AtelierFactory(organisation=org, femmes=True)
    seance = SeanceFactory(atelier=atelier)
    InscriptionFactory(seance=seance, presence="present")
    InscriptionFactory(seance=seance)
    entreprise = EntrepriseFactory(organisation=org, bienveillante=True)
    InteractionFactory(entreprise=entreprise)
    immersion = ImmersionFactory(organisation=org, entreprise=entreprise)
    placement = PlacementFactory(organisation=org, entreprise=entreprise)
    SuiviPlacementFactory(placement=placement)
    aide = make_aide(org)
    client = Client()
    client.force_login(coordination.user)
    urls = {
        "ateliers": reverse("workshops:atelier_list"),
        "atelier": reverse("workshops:atelier_detail", args=[atelier.pk]),
        "atelier (form)": reverse("workshops:atelier_update", args=[atelier.pk]),
        "séance": reverse("workshops:seance_detail", args=[seance.pk]),
        "séance (form)": reverse("workshops:seance_create", args=[atelier.pk]),
        "immersions": reverse("workshops:immersion_list"),
        "immersion": reverse("workshops:immersion_detail", args=[immersion.pk]),
        "immersion (form)": reverse("workshops:immersion_create"),
        "immersion (évaluation)": reverse("workshops:immersion_evaluate", args=[immersion.pk]),
        "entreprises": reverse("employers:entreprise_list"),
        "entreprise": reverse("employers:entreprise_detail", args=[entreprise.pk]),
        "entreprise (form)": reverse("employers:entreprise_create"),
        "contact (form)": reverse("employers:contact_create", args=[entreprise.pk]),
        "placements": reverse("employers:placement_list"),
        "placement": reverse("employers:placement_detail", args=[placement.pk]),
        "placement (form)": reverse("employers:placement_create"),
        "aides": reverse("aids:aide_list"),
        "aide (form)": reverse("aids:aide_update", args=[aide.pk]),
        "consommation": reverse("aids:aide_consommation"),
    }
    documents = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        documents[name] = response.content.decode()
    # A page with errors on a refused form.
    refused = client.post(reverse("workshops:immersion_create"), {"metier": "x"})
    documents["immersion (erreurs)"] = refused.content.decode()
    assert htmlcheck.validate(documents) == {}
