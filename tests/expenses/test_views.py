"""Ledger pages: coordination only, isolation, bounded queries, forms that keep what was typed, French formats."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Role
from expenses.models import Depense, FeuilleTemps
from tests.core.factories import MembershipFactory
from tests.expenses.factories import DepenseFactory, FeuilleTempsFactory, SalarieFactory
from tests.funding.factories import LigneBudgetaireFactory, OperationFactory


pytestmark = pytest.mark.django_db


@pytest.fixture
def coord():
    return MembershipFactory(role=Role.COORDINATEUR)


@pytest.fixture
def operation(coord):
    operation = OperationFactory(organisation=coord.organisation)
    LigneBudgetaireFactory(operation=operation, categorie="fonctionnement", libelle="Locaux")
    return operation


def test_ledger_list_is_paginated_bounded_and_french(client, coord, operation, django_assert_max_num_queries):
    client.force_login(coord.user)
    DepenseFactory(operation=operation, montant=Decimal("1006076.00"), reference="PJ-EME")
    DepenseFactory(operation=operation, non_acquittee=True, reference="PJ-NA")
    DepenseFactory(reference="PJ-AUTRE")  # another organisation
    url = reverse("expenses:depense_list", args=[operation.pk])
    with django_assert_max_num_queries(12) as first:
        response = client.get(url)
    html = response.content.decode()
    assert "PJ-EME" in html
    assert "PJ-AUTRE" not in html
    assert "1\u00a0006\u00a0076,00\u00a0€" in html
    assert "non acquittée" in html
    assert "31/03/2025" in html
    DepenseFactory.create_batch(60, operation=operation)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 50


def test_other_roles_get_403_and_other_organisations_404(client, operation):
    conseillere = MembershipFactory(organisation=operation.organisation, role=Role.CONSEILLERE)
    client.force_login(conseillere.user)
    assert client.get(reverse("expenses:depense_list", args=[operation.pk])).status_code == 403
    other = MembershipFactory(role=Role.COORDINATEUR)
    client.force_login(other.user)
    assert client.get(reverse("expenses:depense_list", args=[operation.pk])).status_code == 404
    depense = DepenseFactory(operation=operation)
    url = reverse("expenses:depense_detail", args=[operation.pk, depense.pk])
    assert client.get(url).status_code == 404


def test_create_keeps_what_was_typed_and_accepts_the_decimal_comma(client, coord, operation):
    client.force_login(coord.user)
    url = reverse("expenses:depense_create", args=[operation.pk])
    data = {
        "reference": "F-2025-01",
        "poste": "fonctionnement",
        "libelle": "Loyer de janvier",
        "beneficiaire": "SCI du Port",
        "montant": "pas un nombre",
        "date": "2025-01-05",
        "date_paiement": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Loyer de janvier" in html
    assert "SCI du Port" in html
    assert "F-2025-01" in html
    data["montant"] = "1 234,56"
    data["justificatif"] = SimpleUploadedFile("loyer.pdf", b"%PDF-1.7 loyer", content_type="application/pdf")
    response = client.post(url, data)
    assert response.status_code == 302
    depense = Depense.objects.get(reference="F-2025-01")
    assert depense.montant == Decimal("1234.56")
    assert depense.date_paiement is None
    assert depense.created_by == coord.user
    assert depense.ligne_budgetaire.libelle == "Locaux"
    proof = client.get(reverse("expenses:depense_justificatif", args=[operation.pk, depense.pk]))
    assert proof.status_code == 200
    assert b"".join(proof.streaming_content) == b"%PDF-1.7 loyer"
    # a duplicate reference is refused, with the typed values kept
    data.pop("justificatif")
    response = client.post(url, data)
    assert "déjà utilisée" in response.content.decode()


def test_correction_is_recorded_in_the_history(client, coord, operation):
    client.force_login(coord.user)
    depense = DepenseFactory(operation=operation, montant=Decimal("100.00"))
    url = reverse("expenses:depense_detail", args=[operation.pk, depense.pk])
    response = client.post(
        url,
        {
            "reference": depense.reference,
            "poste": depense.poste,
            "libelle": depense.libelle,
            "beneficiaire": depense.beneficiaire,
            "montant": "120,00",
            "date": "2025-03-10",
            "date_paiement": "2025-03-31",
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Correction dans Tremplin" in page
    assert "montant : « 100,00 » → « 120,00 »" in page


def test_time_sheet_page_flags_over_100_and_missing_months(client, coord, operation, django_assert_max_num_queries):
    client.force_login(coord.user)
    salarie = SalarieFactory(
        operation=operation, nom="Awa Diallo", date_debut=date(2025, 1, 1), date_fin=date(2025, 3, 31)
    )
    FeuilleTempsFactory(salarie=salarie, mois=date(2025, 1, 1))
    FeuilleTempsFactory(salarie=salarie, mois=date(2025, 3, 1), heures_operation=200, heures_travaillees=151.67)
    url = reverse("expenses:temps", args=[operation.pk]) + "?du=2025-01-01&au=2025-12-31"
    with django_assert_max_num_queries(12):
        response = client.get(url)
    html = response.content.decode()
    assert "plus de 100" in html
    assert "Mois sans feuille de temps : 02/2025" in html
    assert "1\u00a0605,59\u00a0€" in html


def test_time_sheet_form_computes_the_staff_expense(client, coord, operation):
    client.force_login(coord.user)
    salarie = SalarieFactory(operation=operation)
    url = reverse("expenses:feuille_create", args=[operation.pk])
    data = {
        "salarie": salarie.pk,
        "mois": "2025-02",
        "heures_operation": "1",
        "heures_travaillees": "3",
        "cout_charge_mensuel": "2 000,00",
        "date_paiement": "2025-03-02",
    }
    assert client.post(url, data).status_code == 302
    feuille = FeuilleTemps.objects.get(salarie=salarie)
    assert feuille.mois == date(2025, 2, 1)
    assert feuille.depense.montant == Decimal("666.67")
    assert feuille.depense.date_paiement == date(2025, 3, 2)
    response = client.post(url, data)  # same month again
    assert response.status_code == 200
    assert "existe déjà" in response.content.decode()
    printable = client.get(reverse("expenses:feuille_print", args=[operation.pk, feuille.pk])).content.decode()
    assert "signature" in printable
    assert salarie.nom in printable


def test_ressources_recues(client, coord, operation):
    client.force_login(coord.user)
    url = reverse("expenses:ressource_list", args=[operation.pk])
    data = {"kind": "avance", "fse": "on", "financeur": "FSE+", "montant": "-5", "date_reception": "2025-02-01"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "positif" in response.content.decode()
    data["montant"] = "30 000,00"
    assert client.post(url, data).status_code == 302
    assert "30\u00a0000,00\u00a0€" in client.get(url).content.decode()
