import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import Role
from employers.models import Entreprise, Interaction, Placement, SuiviPlacement, validate_siret
from tests.core.factories import MembershipFactory
from tests.employers.factories import EntrepriseFactory, InteractionFactory, PlacementFactory, siret_for
from tests.scope import events_for
from tests.workshops.factories import ImmersionFactory
from tests.youth.factories import JeuneFactory


pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("siret", ["73282932000074", "732 829 320 00074", "35600000000048", "35600000012346"])
def test_valid_sirets(siret):
    validate_siret(siret)


@pytest.mark.parametrize(
    ("siret", "message"),
    [
        ("73282932000075", "clé de contrôle incorrecte"),
        ("7328293200007", "14 chiffres"),
        ("7328293200007A", "14 chiffres"),
    ],
)
def test_invalid_sirets(siret, message):
    with pytest.raises(ValidationError, match=message):
        validate_siret(siret)


@pytest.fixture
def charge(client):
    membership = MembershipFactory(role=Role.CHARGE_ENTREPRISES)
    client.force_login(membership.user)
    client.membership = membership
    return client


def _entreprise_data(**overrides):
    data = {
        "nom": "Boulangerie Dubois",
        "siret": "732 829 320 00074",
        "code_naf": "10.71c",
        "secteur": "Boulangerie",
        "commune": "Anzin",
        "bienveillante": "on",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_charge_creates_a_company_siret_checked_in_french(charge):
    url = reverse("employers:entreprise_create")
    bad = charge.post(url, _entreprise_data(siret="73282932000075"))
    assert bad.status_code == 200
    assert "Ce SIRET n&#x27;est pas valide (clé de contrôle incorrecte)." in bad.content.decode()
    assert 'value="Boulangerie Dubois"' in bad.content.decode()
    ok = charge.post(url, _entreprise_data())
    entreprise = Entreprise.objects.get()
    assert ok.status_code == 302
    assert entreprise.siret == "73282932000074"
    assert entreprise.code_naf == "10.71C"
    assert entreprise.organisation == charge.membership.organisation
    duplicate = charge.post(url, _entreprise_data(nom="Autre"))
    assert "existe déjà" in duplicate.content.decode()


def test_conseillere_reads_but_cannot_manage_companies(client):
    membership = MembershipFactory(role=Role.CONSEILLERE)
    client.force_login(membership.user)
    entreprise = EntrepriseFactory(organisation=membership.organisation)
    assert client.get(reverse("employers:entreprise_list")).status_code == 200
    assert client.get(reverse("employers:entreprise_detail", args=[entreprise.pk])).status_code == 200
    assert client.get(reverse("employers:entreprise_create")).status_code == 403
    assert client.post(reverse("employers:interaction_create", args=[entreprise.pk])).status_code == 403


def test_partner_sees_no_company(client):
    partner = MembershipFactory(partenaire=True)
    client.force_login(partner.user)
    assert client.get(reverse("employers:entreprise_list")).status_code == 403
    assert client.get(reverse("employers:placement_list")).status_code == 403


def test_list_search_pagination_isolation_and_queries(charge, django_assert_max_num_queries):
    org = charge.membership.organisation
    EntrepriseFactory(organisation=org, nom="Garage Martin", commune="Denain")
    EntrepriseFactory(organisation=org, nom="Boulangerie Petit", bienveillante=True)
    EntrepriseFactory(nom="Garage d'ailleurs")
    url = reverse("employers:entreprise_list")
    with django_assert_max_num_queries(10) as ctx:
        response = charge.get(url, {"q": "garage"})
    baseline = len(ctx.captured_queries)
    assert [e.nom for e in response.context["page"]] == ["Garage Martin"]
    assert [e.nom for e in charge.get(url, {"q": "denain"}).context["page"]] == ["Garage Martin"]
    assert [e.nom for e in charge.get(url, {"bienveillante": "1"}).context["page"]] == ["Boulangerie Petit"]
    for entreprise in EntrepriseFactory.create_batch(30, organisation=org):
        ImmersionFactory(organisation=org, entreprise=entreprise)
    with django_assert_max_num_queries(baseline):
        page = charge.get(url).context["page"]
    assert page.paginator.count == 32
    assert len(page.object_list) == 25
    assert charge.get(url, {"page": 2}).context["page"].number == 2
    siret = EntrepriseFactory(organisation=org, siret=siret_for(987654)).siret
    assert len(charge.get(url, {"q": siret[:9]}).context["page"].object_list) == 1


def test_detail_shows_what_the_company_did_with_us(charge, django_assert_max_num_queries):
    org = charge.membership.organisation
    entreprise = EntrepriseFactory(organisation=org)
    InteractionFactory(entreprise=entreprise, kind=Interaction.Kind.VISITE_JEUNES, nb_jeunes=6)
    ImmersionFactory(organisation=org, entreprise=entreprise)
    PlacementFactory(organisation=org, entreprise=entreprise)
    url = reverse("employers:entreprise_detail", args=[entreprise.pk])
    with django_assert_max_num_queries(17) as ctx:
        response = charge.get(url)
    assert response.context["bilan"]["visites"] == 1
    assert response.context["bilan"]["jeunes_visites"] == 6
    assert response.context["bilan"]["immersions"] == 1
    assert response.context["bilan"]["embauches"] == 1
    InteractionFactory.create_batch(5, entreprise=entreprise)
    ImmersionFactory.create_batch(3, organisation=org, entreprise=entreprise)
    PlacementFactory.create_batch(3, organisation=org, entreprise=entreprise)
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        charge.get(url)
    assert charge.get(reverse("employers:entreprise_detail", args=[EntrepriseFactory().pk])).status_code == 404


def test_contacts_interactions_offers(charge):
    entreprise = EntrepriseFactory(organisation=charge.membership.organisation)
    r = charge.post(
        reverse("employers:contact_create", args=[entreprise.pk]), {"contact-nom": "Leroy", "contact-prenom": "Anne"}
    )
    assert r.status_code == 302
    contact = entreprise.contacts.get()
    r = charge.post(
        reverse("employers:interaction_create", args=[entreprise.pk]),
        {
            "echange-kind": "visite",
            "echange-date": "2026-03-04",
            "echange-contact": contact.pk,
            "echange-objet": "Visite",
            "echange-nb_jeunes": 0,
        },
    )
    assert r.status_code == 302
    assert entreprise.interactions.get().auteur == charge.membership.user
    r = charge.post(
        reverse("employers:offre_create", args=[entreprise.pk]),
        {
            "offre-intitule": "Vendeur",
            "offre-type_contrat": "cdi",
            "offre-date_publication": "2026-03-04",
            "offre-nb_postes": 1,
            "offre-statut": "ouverte",
        },
    )
    assert r.status_code == 302
    assert entreprise.offres.count() == 1
    bad = charge.post(reverse("employers:offre_create", args=[entreprise.pk]), {"offre-intitule": ""})
    assert bad.status_code == 422


def test_placement_and_follow_up_in_post(charge, django_assert_max_num_queries):
    org = charge.membership.organisation
    jeune = JeuneFactory(organisation=org)
    entreprise = EntrepriseFactory(organisation=org)
    data = {
        "jeune": jeune.pk,
        "entreprise": entreprise.pk,
        "poste": "Vendeuse",
        "type_contrat": "cdd",
        "date_debut": "2026-04-01",
        "date_fin": "2026-03-01",
    }
    bad = charge.post(reverse("employers:placement_create"), data)
    assert "La fin du contrat ne peut pas précéder son début." in bad.content.decode()
    data["date_fin"] = "2026-10-01"
    assert charge.post(reverse("employers:placement_create"), data).status_code == 302
    placement = Placement.objects.get()
    assert placement.organisation == org
    r = charge.post(
        reverse("employers:placement_detail", args=[placement.pk]),
        {"date": "2026-04-15", "avec": "les_deux", "compte_rendu": "Bonne intégration, tutrice satisfaite."},
    )
    assert r.status_code == 302
    assert SuiviPlacement.objects.get().auteur == charge.membership.user
    events = [e for e in events_for(charge.membership.user, jeune) if e.kind in {"placement", "suivi_emploi"}]
    assert len(events) == 2
    url = reverse("employers:placement_list")
    with django_assert_max_num_queries(10) as ctx:
        assert "Vendeuse" in charge.get(url).content.decode()
    PlacementFactory.create_batch(5, organisation=org)
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        charge.get(url)
    foreign = PlacementFactory()
    assert charge.get(reverse("employers:placement_detail", args=[foreign.pk])).status_code == 404
    # A young person of another organisation cannot be chosen.
    data["jeune"] = JeuneFactory().pk
    assert charge.post(reverse("employers:placement_create"), data).status_code == 200
    assert Placement.objects.count() == 1 + 5 + 1
