"""The demo ledger reproduces the seeds' budgets from its entries (not typed totals)."""

import random
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from expenses import finance
from expenses.models import Depense, FeuilleTemps
from expenses.seed import PLANS, seed_ledger, split
from funding.models import Operation


pytestmark = pytest.mark.django_db


@pytest.fixture
def operations():
    call_command("seed_demo", "--empty", stdout=StringIO())
    return Operation.objects.get(code="NOE"), Operation.objects.get(code="EME")


def test_noe_ledger_reproduces_direct_indirect_and_total(operations):
    noe, _ = operations
    seed_ledger(noe, PLANS["NOE"], random.Random(2026))
    result = finance.period_finance(noe, noe.date_debut, noe.date_fin)
    assert finance.finance_json(result)["dont_personnel"] == "100400.00"
    assert result["depenses_directes"] == Decimal("113600.00")
    assert result["couts_indirects"] == Decimal("15060.00")
    assert result["cout_total_eligible"] == Decimal("128660.00")
    assert result["non_acquittees"] == 1  # the invoice waiting for payment is listed, not counted
    # every staff expense is its sheet's cost × share, to the cent
    sheets = FeuilleTemps.objects.filter(salarie__operation=noe).select_related("depense")
    assert sheets.count() == 3 * 36
    assert all(sheet.depense.montant == sheet.cout_eligible for sheet in sheets)
    assert all(not sheet.depasse for sheet in sheets)
    assert result["alertes_temps"] == {"depassements": [], "manquantes": []}
    assert Depense.objects.filter(operation=noe, justificatif="").count() > 0  # some proofs missing on purpose


def test_eme_ledger_reproduces_total_and_rate(operations):
    _, eme = operations
    seed_ledger(eme, PLANS["EME"], random.Random(7), proofs=False)
    result = finance.period_finance(eme, eme.date_debut, eme.date_fin)
    assert result["cout_total_eligible"] == Decimal("1006076.00")
    assert result["fse_du"] == Decimal("603645.00")
    assert finance.ratio(result["fse_du"], result["cout_total_eligible"]) == Decimal("0.6000")
    assert result["taux_cofinancement"] == Decimal("0.6000")
    assert result["solde_demande"] == Decimal("603645.00") - Decimal("331093.50")
    one_year = finance.period_finance(eme, date(2024, 1, 1), date(2024, 12, 31))
    planned_staff = next(p for p in one_year["postes"] if p["code"] == "personnel")["prevu"]
    assert Decimal("100000") < planned_staff < Decimal("200000")  # the yearly plan


def test_split_sums_exactly():
    parts = split(Decimal("7900"), 12, random.Random(1))
    assert sum(parts) == Decimal("7900.00")
    assert all(p > 0 for p in parts)
