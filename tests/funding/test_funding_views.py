from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import Role
from funding.models import LigneBudgetaire, Objectif, Operation, Ressource
from tests.core.factories import MembershipFactory
from tests.funding.factories import LigneBudgetaireFactory, ObjectifFactory, OperationFactory, RessourceFactory


pytestmark = pytest.mark.django_db


@pytest.fixture
def coord(client):
    membership = MembershipFactory(role=Role.COORDINATEUR)
    client.force_login(membership.user)
    return membership


def _noe_like(organisation, code="NOE2"):
    operation = OperationFactory(organisation=organisation, code=code, intitule="Nouvel Objectif")
    LigneBudgetaireFactory(operation=operation, libelle="Personnel (2,7 ETP)", montant_prevu=Decimal("100400"))
    LigneBudgetaireFactory(
        operation=operation, categorie="prestations_externes", libelle="Prestations", montant_prevu=Decimal("7900")
    )
    LigneBudgetaireFactory(
        operation=operation, categorie="participants", libelle="Participants", montant_prevu=Decimal("5300")
    )
    RessourceFactory(operation=operation, financeur="FSE – IEJ", montant=Decimal("118225.67"))
    RessourceFactory(operation=operation, kind="autofinancement", financeur="CCAS", montant=Decimal("10434.33"))
    return operation


def test_list_shows_own_operations_with_french_amounts_and_bounded_queries(
    client, coord, django_assert_max_num_queries
):
    _noe_like(coord.organisation)
    other = OperationFactory(intitule="Opération d'ailleurs")
    url = reverse("funding:operation_list")
    with django_assert_max_num_queries(10) as first:
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "128\u00a0660,00\u00a0€" in html
    assert "91,89\u00a0%" in html
    assert other.intitule not in html
    for index in range(5):
        _noe_like(coord.organisation, code=f"X{index}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("128\u00a0660,00\u00a0€") == 6


def test_detail_shows_budget_shares_indirect_costs_and_audit_date(client, coord, django_assert_max_num_queries):
    operation = _noe_like(coord.organisation)
    operation.date_dernier_paiement = date(2019, 6, 30)
    operation.save()
    ObjectifFactory(operation=operation, indicateur="reperes", cible=300)
    ObjectifFactory(operation=operation, indicateur="entrees", annee=2017, cible=60)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("funding:operation_detail", args=[operation.pk]))
    html = response.content.decode()
    for text in (
        "15\u00a0060,00\u00a0€",
        "113\u00a0600,00\u00a0€",
        "78,04\u00a0%",
        "6,14\u00a0%",
        "4,12\u00a0%",
        "11,71\u00a0%",
        "88,29\u00a0%",
        "jusqu'au 31/12/2024",
        "Jeunes repérés",
        "2017",
    ):
        assert text in html, text


def test_other_organisation_operation_is_404(client, coord):
    other = OperationFactory()
    for name in ("operation_detail", "operation_edit", "objectifs_edit", "budget_edit", "ressources_edit"):
        assert client.get(reverse(f"funding:{name}", args=[other.pk])).status_code == 404
        assert client.post(reverse(f"funding:{name}", args=[other.pk]), {}).status_code == 404


@pytest.mark.parametrize("role", [Role.CONSEILLERE, Role.CHARGE_ENTREPRISES, Role.PARTENAIRE])
def test_other_roles_get_403(client, role):
    membership = MembershipFactory(role=role)
    operation = OperationFactory(organisation=membership.organisation)
    client.force_login(membership.user)
    assert client.get(reverse("funding:operation_list")).status_code == 403
    assert client.get(reverse("funding:operation_detail", args=[operation.pk])).status_code == 403
    assert client.post(reverse("funding:operation_edit", args=[operation.pk]), {"code": "x"}).status_code == 403


def _operation_data(**overrides):
    data = {
        "code": "NOUV",
        "intitule": "Nouvelle opération",
        "programme": "fse_plus",
        "numero_mdfse": "202600001",
        "date_debut": "2026-01-01",
        "date_fin": "2028-12-31",
        "age_min": "16",
        "age_max": "29",
        "public": "NEET",
        "taux_couts_indirects": "0.15",
        "date_dernier_paiement": "",
        "audit_hold_until": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_create_operation_goes_to_current_organisation(client, coord):
    response = client.post(reverse("funding:operation_create"), _operation_data())
    operation = Operation.objects.get(code="NOUV")
    assert response.status_code == 302
    assert operation.organisation == coord.organisation


def test_edit_operation_keeps_input_and_explains_errors(client, coord):
    operation = OperationFactory(organisation=coord.organisation, code="EDIT")
    response = client.post(
        reverse("funding:operation_edit", args=[operation.pk]),
        _operation_data(
            code="EDIT", date_fin="2025-01-01", age_max="12", taux_couts_indirects="1.5", intitule="Gardé"
        ),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "La fin de la convention précède son début." in html
    assert "L&#x27;âge maximum est inférieur à l&#x27;âge minimum." in html
    assert "entre 0 et 1" in html
    assert 'value="Gardé"' in html
    operation.refresh_from_db()
    assert operation.intitule != "Gardé"

    response = client.post(
        reverse("funding:operation_edit", args=[operation.pk]),
        _operation_data(code="EDIT", date_dernier_paiement="2027-03-01"),
    )
    operation.refresh_from_db()
    assert response.status_code == 302
    assert operation.audit_hold_until == date(2032, 12, 31)


def _formset_data(prefix, rows, initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


def test_objectives_per_year_and_whole_operation(client, coord):
    operation = OperationFactory(organisation=coord.organisation)
    url = reverse("funding:objectifs_edit", args=[operation.pk])
    page = client.get(url).content.decode()
    assert 'aria-label="Indicateur (ligne 1)"' in page
    data = _formset_data(
        "objectifs",
        [
            {"indicateur": "reperes", "annee": "", "cible": "300"},
            {"indicateur": "entrees", "annee": "2026", "cible": "60"},
        ],
    )
    assert client.post(url, data).status_code == 302
    assert set(Objectif.objects.filter(operation=operation).values_list("indicateur", "annee", "cible")) == {
        ("reperes", None, 300),
        ("entrees", 2026, 60),
    }
    duplicate = _formset_data(
        "objectifs",
        [
            {"indicateur": "sorties", "annee": "2026", "cible": "1"},
            {"indicateur": "sorties", "annee": "2026", "cible": "2"},
        ],
    )
    response = client.post(url, duplicate)
    assert response.status_code == 200
    assert "en double" in response.content.decode()
    assert not Objectif.objects.filter(operation=operation, indicateur="sorties").exists()
    whole = _formset_data(
        "objectifs",
        [{"indicateur": "sorties", "annee": "", "cible": "1"}, {"indicateur": "sorties", "annee": "", "cible": "2"}],
    )
    response = client.post(url, whole)
    assert "L&#x27;objectif « Sorties » est saisi deux fois pour toute l&#x27;opération." in response.content.decode()
    assert 'value="2"' in response.content.decode()  # what was typed is kept


def test_budget_lines_and_indirect_rate(client, coord):
    operation = OperationFactory(organisation=coord.organisation)
    line = LigneBudgetaireFactory(operation=operation, montant_prevu=Decimal("1000"))
    url = reverse("funding:budget_edit", args=[operation.pk])
    data = _formset_data(
        "lignes_budgetaires",
        [
            {
                "id": str(line.pk),
                "categorie": "personnel",
                "libelle": "Salaires",
                "montant_prevu": "100400",
                "montant_realise": "50200",
            },
            {"categorie": "participants", "libelle": "Aides", "montant_prevu": "5300", "montant_realise": "0"},
        ],
        initial=1,
    )
    data["taux_couts_indirects"] = "0.15"
    assert client.post(url, data).status_code == 302
    assert LigneBudgetaire.objects.filter(operation=operation).count() == 2
    html = client.get(reverse("funding:operation_detail", args=[operation.pk])).content.decode()
    assert "15\u00a0060,00\u00a0€" in html
    assert "50,00\u00a0%" in html  # personnel executed 50 %


def test_resources_delete_and_add(client, coord):
    operation = OperationFactory(organisation=coord.organisation)
    resource = RessourceFactory(operation=operation)
    url = reverse("funding:ressources_edit", args=[operation.pk])
    data = _formset_data(
        "ressources",
        [
            {"id": str(resource.pk), "kind": "fse", "financeur": "FSE+", "montant": "600", "DELETE": "on"},
            {"kind": "cofinancement_public", "financeur": "Département", "montant": "400"},
        ],
        initial=1,
    )
    assert client.post(url, data).status_code == 302
    assert list(Ressource.objects.filter(operation=operation).values_list("financeur", flat=True)) == ["Département"]


def test_budget_lines_are_listed_in_category_order(client, coord):
    operation = OperationFactory(organisation=coord.organisation)
    LigneBudgetaireFactory(operation=operation, categorie="participants", libelle="Aides")
    LigneBudgetaireFactory(operation=operation, categorie="personnel", libelle="Salaires")
    LigneBudgetaireFactory(operation=operation, categorie="fonctionnement", libelle="Loyer")
    formset = client.get(reverse("funding:budget_edit", args=[operation.pk])).context["formset"]
    assert [form.instance.libelle for form in formset.forms if form.instance.pk] == ["Salaires", "Loyer", "Aides"]


def test_formset_errors_are_announced_and_keep_the_input(client, coord):
    operation = OperationFactory(organisation=coord.organisation)
    url = reverse("funding:ressources_edit", args=[operation.pk])
    data = _formset_data("ressources", [{"kind": "fse", "financeur": "", "montant": "1234"}])
    html = client.post(url, data).content.decode()
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_ressources-0-financeur-erreur"' in html
    assert 'id="id_ressources-0-financeur-erreur"' in html
    assert 'value="1234"' in html
    assert not Ressource.objects.filter(operation=operation).exists()
