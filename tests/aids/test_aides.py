from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from aids import dossier as aids_dossier, services as aid_services
from core.dossier import DossierContext
from core.models import Role
from funding.models import Aide, LigneBudgetaire, PlafondAide
from tests.aids.authz import make_aide
from tests.core.factories import MembershipFactory
from tests.funding.factories import LigneBudgetaireFactory, OperationFactory
from tests.scope import events_for, scope_for
from tests.youth.factories import ParticipationFactory


pytestmark = pytest.mark.django_db


@pytest.fixture
def eme(db):
    membership = MembershipFactory(role=Role.CONSEILLERE)
    operation = OperationFactory(organisation=membership.organisation, code="EMEX", intitule="En mode emploi")
    ligne = LigneBudgetaireFactory(
        operation=operation,
        categorie=LigneBudgetaire.Categorie.PARTICIPANTS,
        libelle="Aides matérielles",
        montant_prevu=Decimal("61076"),
    )
    PlafondAide.objects.create(operation=operation, kind="permis_am", nombre_max_par_an=15)
    return membership, operation, ligne


def _permis(membership, operation, ligne, day=date(2026, 3, 1), **extra):
    participation = ParticipationFactory(jeune__organisation=membership.organisation, operation=operation, entree=True)
    aide = Aide(
        organisation=membership.organisation,
        participation=participation,
        ligne_budgetaire=ligne,
        kind="permis_am",
        date_attribution=day,
        montant=Decimal("450"),
        **{"assr_justificatif": True, **extra},
    )
    return aid_services.aide_save(aide=aide, user=membership.user)


def test_cap_refuses_the_16th_permis_am_of_the_year(eme):
    membership, operation, ligne = eme
    for _ in range(15):
        _permis(membership, operation, ligne)
    with pytest.raises(ValidationError) as exc:
        _permis(membership, operation, ligne)
    assert exc.value.messages == ["Plafond atteint : 15 permis AM déjà financés en 2026 pour En mode emploi."]
    assert Aide.objects.filter(kind="permis_am").count() == 15
    # Next year the counter starts again; other kinds are not capped.
    assert _permis(membership, operation, ligne, day=date(2027, 1, 4)).pk
    # Editing one of the 15 does not count it twice.
    aide = Aide.objects.filter(date_attribution__year=2026).first()
    aide.montant = Decimal("500")
    aid_services.aide_save(aide=aide)


def test_amount_cap(eme):
    membership, operation, ligne = eme
    PlafondAide.objects.create(operation=operation, kind="veture", montant_max_par_an=Decimal("150"))
    participation = ParticipationFactory(jeune__organisation=membership.organisation, operation=operation)
    make_aide(membership.organisation, kind="veture", montant="100", participation=participation)
    aide = Aide(
        organisation=membership.organisation,
        participation=participation,
        ligne_budgetaire=ligne,
        kind="veture",
        date_attribution=date(2026, 5, 1),
        montant=Decimal("60"),
    )
    with pytest.raises(ValidationError, match="plafond annuel 150,00"):
        aid_services.aide_save(aide=aide)
    aide.montant = Decimal("50")
    assert aid_services.aide_save(aide=aide).pk


def test_permis_am_rules_and_budget_line_of_the_operation(eme):
    membership, operation, ligne = eme
    with pytest.raises(ValidationError) as exc:
        _permis(membership, operation, ligne, assr_justificatif=False)
    assert "ASSR" in str(exc.value)
    participation = ParticipationFactory(jeune__organisation=membership.organisation, operation=operation)
    other_line = LigneBudgetaireFactory(operation=OperationFactory(organisation=membership.organisation))
    aide = Aide(
        organisation=membership.organisation,
        participation=participation,
        ligne_budgetaire=other_line,
        kind="permis_am",
        date_attribution=date(2026, 3, 1),
        montant=Decimal("450"),
        assr_justificatif=True,
        formation_debut=date(2026, 3, 10),
        formation_fin=date(2026, 3, 9),
        permis_obtenu=True,
    )
    with pytest.raises(ValidationError) as exc:
        aid_services.aide_save(aide=aide)
    assert set(exc.value.message_dict) == {"ligne_budgetaire", "formation_fin", "date_obtention"}


def test_participation_of_another_organisation_is_refused(eme):
    membership, operation, ligne = eme
    aide = Aide(
        organisation=membership.organisation,
        participation=ParticipationFactory(),
        ligne_budgetaire=ligne,
        kind="transport",
        date_attribution=date(2026, 3, 1),
        montant=Decimal("30"),
    )
    with pytest.raises(ValidationError, match="pas suivie par votre structure"):
        aid_services.aide_save(aide=aide)


def test_conseillere_grants_aids_until_the_cap_refuses_the_16th_in_the_browser(client, eme):
    membership, operation, ligne = eme
    client.force_login(membership.user)
    url = reverse("aids:aide_create")
    participations = [
        ParticipationFactory(jeune__organisation=membership.organisation, operation=operation) for _ in range(16)
    ]
    year = date.today().year  # noqa: DTZ011 - the form defaults to today; only the year matters here
    PlafondAide.objects.filter(operation=operation).update(nombre_max_par_an=3)
    for participation in participations[:3]:
        data = {
            "participation": participation.pk,
            "kind": "permis_am",
            "date_attribution": f"{year}-02-01",
            "montant": "450",
            "ligne_budgetaire": ligne.pk,
            "assr_justificatif": "on",
        }
        assert client.post(url, data).status_code == 302
    data["participation"] = participations[3].pk
    refused = client.post(url, data)
    assert refused.status_code == 422
    assert f"Plafond atteint : 3 permis AM déjà financés en {year} pour En mode emploi." in refused.content.decode()
    assert Aide.objects.count() == 3
    assert Aide.objects.first().created_by == membership.user


def test_form_choices_are_scoped(client, eme):
    membership, operation, ligne = eme
    client.force_login(membership.user)
    foreign = ParticipationFactory()
    response = client.post(
        reverse("aids:aide_create"),
        {
            "participation": foreign.pk,
            "kind": "transport",
            "date_attribution": "2026-02-01",
            "montant": "20",
            "ligne_budgetaire": LigneBudgetaireFactory().pk,
        },
    )
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"participation", "ligne_budgetaire"}
    assert not Aide.objects.exists()


def test_list_isolation_and_bounded_queries(client, eme, django_assert_max_num_queries):
    membership, operation, ligne = eme
    client.force_login(membership.user)
    year = date.today().year  # noqa: DTZ011
    make_aide(membership.organisation, description="Vêture chantier", date_attribution=date(year, 1, 15))
    make_aide(MembershipFactory().organisation, description="Vêture d'ailleurs", date_attribution=date(year, 1, 15))
    url = reverse("aids:aide_list")
    with django_assert_max_num_queries(10) as ctx:
        content = client.get(url).content.decode()
    baseline = len(ctx.captured_queries)
    assert "Vêture chantier" in content
    assert "ailleurs" not in content
    for _ in range(8):
        make_aide(membership.organisation, date_attribution=date(year, 2, 1))
    with django_assert_max_num_queries(baseline):
        client.get(url)
    other = make_aide(MembershipFactory().organisation)
    assert client.get(reverse("aids:aide_update", args=[other.pk])).status_code == 404


def test_roles(client, eme):
    membership, operation, ligne = eme
    charge = MembershipFactory(role=Role.CHARGE_ENTREPRISES, organisation=membership.organisation)
    client.force_login(charge.user)
    assert client.get(reverse("aids:aide_list")).status_code == 403
    client.force_login(membership.user)
    assert client.get(reverse("aids:aide_consommation")).status_code == 403
    partner = MembershipFactory(partenaire=True)
    client.force_login(partner.user)
    assert client.get(reverse("aids:aide_list")).status_code == 403


def test_coordinateur_sees_consumption_against_caps_and_lines(client, eme, django_assert_max_num_queries):
    membership, operation, ligne = eme
    coordination = MembershipFactory(role=Role.COORDINATEUR, organisation=membership.organisation)
    client.force_login(coordination.user)
    for _ in range(12):
        _permis(membership, operation, ligne)
    url = reverse("aids:aide_consommation")
    with django_assert_max_num_queries(11) as ctx:
        response = client.get(url, {"annee": 2026})
    baseline = len(ctx.captured_queries)
    bloc = response.context["blocs"][0]
    permis = next(k for k in bloc["kinds"] if k["kind"] == "permis_am")
    assert permis["nombre"] == 12
    assert permis["total"] == Decimal("5400")
    assert permis["taux"] == pytest.approx(0.8)
    assert not permis["atteint"]
    assert bloc["lignes"][0].reste == Decimal("61076") - Decimal("5400")
    content = response.content.decode()
    assert "80\u00a0% du plafond" in content
    for _ in range(3):
        _permis(membership, operation, ligne)
    OperationFactory(organisation=membership.organisation)
    with django_assert_max_num_queries(baseline):
        response = client.get(url, {"annee": 2026})
    assert "Plafond atteint" in response.content.decode()


def test_timeline_and_panel(rf, eme, django_assert_max_num_queries):
    membership, operation, ligne = eme
    aide = _permis(membership, operation, ligne)
    jeune = aide.participation.jeune
    events = [e for e in events_for(membership.user, jeune) if e.kind == "aide"]
    assert len(events) == 1
    assert "Permis AM" in events[0].title
    outsider = MembershipFactory(role=Role.COORDINATEUR).user
    assert not [e for e in events_for(outsider, jeune) if e.kind == "aide"]
    ctx = DossierContext(scope=scope_for(membership.user), jeune=jeune)
    with django_assert_max_num_queries(1):  # timeline and panel come from one query per dossier page
        contribution = aids_dossier.contribute(ctx)
    assert contribution.context["aides"] == [aide]
    assert [e.kind for e in contribution.events] == ["aide"]
    charge = MembershipFactory(role=Role.CHARGE_ENTREPRISES, organisation=membership.organisation).user
    assert aids_dossier.contribute(DossierContext(scope=scope_for(charge), jeune=jeune)) is None


def test_new_aid_from_the_dossier_preselects_the_participation(client, eme):
    membership, operation, ligne = eme
    client.force_login(membership.user)
    participation = ParticipationFactory(jeune__organisation=membership.organisation, operation=operation)
    response = client.get(reverse("aids:aide_create"), {"jeune": participation.jeune_id})
    assert response.context["form"].initial["participation"] == participation.pk
    foreign = ParticipationFactory()
    response = client.get(reverse("aids:aide_create"), {"jeune": foreign.jeune_id})
    assert response.context["form"].initial["participation"] is None
