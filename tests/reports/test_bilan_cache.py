"""The bilan's figures are computed once per (operation, period) and kept (core.dataversion): a second read
computes nothing, and every kind of write that can change them — through a form or the ORM, an import (bulk),
an anonymisation (``update()``) — makes the next read compute again and see the new figures."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from core import dataversion
from privacy.retention import jeunes_anonymise
from reports import indicators
from tests.aids.authz import make_aide
from tests.diagnostics.factories import EvaluationFactory
from tests.expenses.factories import DepenseFactory
from tests.reports.factories import participant
from tests.workshops.factories import InscriptionFactory, SeanceFactory
from youth.models import Participation


pytestmark = pytest.mark.django_db

DU, AU = date(2017, 1, 1), date(2017, 12, 31)


@pytest.fixture
def computations(monkeypatch):
    calls = []
    real = indicators.compute_uncached

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(indicators, "compute_uncached", counting)
    return calls


def test_second_read_is_kept_and_costs_no_query(operation, computations, django_assert_num_queries):
    participant(operation, entree=date(2017, 3, 1))
    first = indicators.compute(operation, DU, AU)
    with django_assert_num_queries(0):
        assert indicators.compute(operation, DU, AU) == first
    assert len(computations) == 1
    assert first["entrees"] == 1


def test_a_new_participation_and_an_exit_move_the_figures(operation, computations):
    assert indicators.compute(operation, DU, AU)["entrees"] == 0
    p = participant(operation, entree=date(2017, 3, 1))
    assert indicators.compute(operation, DU, AU)["entrees"] == 1
    assert indicators.compute(operation, DU, AU)["sorties"] == 0
    participation = Participation.objects.get(pk=p.pk)
    participation.date_sortie = date(2017, 9, 1)
    participation.situation_sortie = Participation.SituationSortie.EMPLOI_CDI
    participation.save()
    assert indicators.compute(operation, DU, AU)["sorties"] == 1
    participation.delete()
    assert indicators.compute(operation, DU, AU)["entrees"] == 0
    assert len(computations) == 4


def test_another_organisation_writing_keeps_the_figures(operation, computations):
    from tests.funding.factories import OperationFactory

    indicators.compute(operation, DU, AU)
    participant(OperationFactory(), entree=date(2017, 3, 1))
    indicators.compute(operation, DU, AU)
    assert len(computations) == 1


@pytest.mark.parametrize("kind", ["evaluation", "inscription", "aide", "depense", "operation"])
def test_each_kind_of_record_makes_the_next_read_compute_again(operation, computations, kind):
    p = participant(operation, entree=date(2017, 3, 1))
    participation = Participation.objects.get(operation=operation)
    jeune = participation.jeune
    indicators.compute(operation, DU, AU)
    before = dataversion.version(operation.organisation_id)
    if kind == "evaluation":
        EvaluationFactory(jeune=jeune)
    elif kind == "inscription":
        InscriptionFactory(jeune=jeune, seance=SeanceFactory(atelier__organisation=operation.organisation))
    elif kind == "aide":
        make_aide(operation.organisation, participation=participation)
    elif kind == "depense":
        DepenseFactory(operation=operation)
    else:
        operation.nom = "Opération renommée"
        operation.save()
    assert dataversion.version(operation.organisation_id) != before
    indicators.compute(operation, DU, AU)
    assert len(computations) == 2, p


def test_an_expense_moves_the_period_finance_of_the_json(operation):
    before = indicators.compute_bilan(operation, DU, AU)["finance"]
    DepenseFactory(operation=operation, date=date(2017, 5, 1), date_paiement=date(2017, 5, 2))
    assert indicators.compute_bilan(operation, DU, AU)["finance"] != before


def test_an_anonymisation_makes_the_next_read_compute_again(operation, computations):
    participant(operation, entree=date(2017, 3, 1), telephone="06 12 34 56 78")
    indicators.compute(operation, DU, AU)
    jeunes_anonymise(ids=list(Participation.objects.values_list("jeune_id", flat=True)))  # update(): no signal
    assert indicators.compute(operation, DU, AU) == indicators.compute_uncached(operation, DU, AU)
    assert len(computations) == 3


def test_an_import_moves_the_figures_of_page_and_json(tmp_path, client):
    from tests.reports.test_import import HEADER, ROWS, write

    call_command("seed_demo", "--empty", stdout=StringIO())
    from funding.models import Operation

    operation = Operation.objects.get(code="NOE")

    def bilan_json():
        out = StringIO()
        call_command("bilan", "--operation", "NOE", "--du", "2017-01-01", "--au", "2017-12-31", "--format", "json",
                     stdout=out)  # fmt: skip
        return json.loads(out.getvalue())

    assert bilan_json()["entrees"] == indicators.compute(operation, DU, AU)["entrees"] == 0
    call_command("import_participants", str(write(tmp_path, [HEADER, *ROWS])), "--operation", "NOE",
                 stdout=StringIO(), stderr=StringIO())  # fmt: skip
    assert bilan_json()["entrees"] == indicators.compute(operation, DU, AU)["entrees"] == 4
