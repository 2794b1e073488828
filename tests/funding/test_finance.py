import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from funding.finance import budget_summary, indirect_costs, ratio
from funding.models import LigneBudgetaire, Operation, default_audit_date
from tests.funding.factories import LigneBudgetaireFactory, OperationFactory, RessourceFactory


pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_demo", "--empty", stdout=io.StringIO())
    return {op.code: op for op in Operation.objects.filter(code__in=["EME", "NOE"])}


def test_noe_budget_from_the_seed(seeded):
    f = budget_summary(seeded["NOE"])
    assert f["base_personnel_prevu"] == Decimal("100400.00")
    assert f["indirect_prevu"] == Decimal("15060.00")
    assert f["direct_prevu"] == Decimal("113600.00")
    assert f["total_prevu"] == Decimal("128660.00")
    parts = {c["code"]: c["part"] for c in f["categories"]}
    assert parts == {
        "personnel": Decimal("0.7804"),
        "prestations_externes": Decimal("0.0614"),
        "participants": Decimal("0.0412"),
    }
    assert f["part_indirect"] == Decimal("0.1171")
    assert f["part_direct"] == Decimal("0.8829")
    assert f["taux_cofinancement"] == Decimal("0.9189")
    assert f["total_ressources"] == f["total_prevu"]
    assert f["ecart_ressources"] == 0


def test_eme_cofinancing_rate_from_the_seed(seeded):
    f = budget_summary(seeded["EME"])
    assert f["indirect_prevu"] == Decimal("105000.00")
    assert f["total_prevu"] == Decimal("1006076.00")
    assert f["fse"] == Decimal("603645.00")
    assert f["taux_cofinancement"] == Decimal("0.6000")


def test_execution_rate_per_line_and_overall():
    operation = OperationFactory(taux_couts_indirects=Decimal("0.15"))
    LigneBudgetaireFactory(operation=operation, montant_prevu=Decimal("1000"), montant_realise=Decimal("333.33"))
    LigneBudgetaireFactory(
        operation=operation,
        categorie=LigneBudgetaire.Categorie.FONCTIONNEMENT,
        libelle="Loyer",
        montant_prevu=Decimal("0"),
        montant_realise=Decimal("10"),
    )
    f = budget_summary(operation)
    personnel = f["categories"][0]
    assert personnel["lignes"][0]["taux_execution"] == Decimal("0.3333")
    assert f["categories"][1]["lignes"][0]["taux_execution"] is None  # nothing planned: no rate, no crash
    assert f["indirect_realise"] == Decimal("50.00")  # round(333.33 × 0.15, 2) = 49.9995 → 50.00
    assert f["total_realise"] == Decimal("393.33")
    assert f["taux_cofinancement"] is None or f["taux_cofinancement"] == Decimal("0.0000")


def test_rounding_is_half_up():
    assert indirect_costs(Decimal("0.10"), Decimal("0.15")) == Decimal("0.02")  # 0.015 → 0.02
    assert indirect_costs(Decimal("100400"), Decimal("0.15")) == Decimal("15060.00")
    assert ratio(1, 8) == Decimal("0.1250")
    assert ratio(1, 0) is None


def test_resources_without_fse():
    operation = OperationFactory()
    LigneBudgetaireFactory(operation=operation, montant_prevu=Decimal("1000"))
    RessourceFactory(operation=operation, kind="autofinancement", financeur="Asso", montant=Decimal("1150"))
    f = budget_summary(operation)
    assert f["total_prevu"] == Decimal("1150.00")
    assert f["fse"] == Decimal("0.00")
    assert f["taux_cofinancement"] == Decimal("0.0000")


def test_audit_date_defaults_to_five_years_after_31_december_of_last_payment():
    assert default_audit_date(date(2019, 6, 30)) == date(2024, 12, 31)
    assert default_audit_date(None) is None
    operation = OperationFactory(date_dernier_paiement=date(2026, 1, 15))
    assert operation.audit_hold_until == date(2031, 12, 31)
    explicit = OperationFactory(date_dernier_paiement=date(2026, 1, 15), audit_hold_until=date(2035, 1, 1))
    assert explicit.audit_hold_until == date(2035, 1, 1)


def test_forty_percent_option_in_the_budget_summary():
    operation = Operation(taux_couts_indirects=Decimal("0.15"), forfait_40=True)
    lignes = [
        LigneBudgetaire(categorie="personnel", libelle="P", montant_prevu=Decimal("10000"), montant_realise=5000),
        LigneBudgetaire(categorie="fonctionnement", libelle="F", montant_prevu=Decimal("2500"), montant_realise=0),
    ]
    summary = budget_summary(operation, lignes=lignes, ressources=[])
    assert summary["indirect_prevu"] == Decimal("4000.00")
    assert summary["total_prevu"] == Decimal("14000.00")  # staff + 40 %, the other lines are covered
    assert summary["total_realise"] == Decimal("7000.00")
