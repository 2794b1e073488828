import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from funding.models import Aide, LigneBudgetaire, Operation
from reports.pdf import css_string, eu_emblem_svg, participant_rows, render_bilan_pdf
from tests.reports.factories import bulk_participants, participant
from tests.workshops.factories import AtelierFactory, InscriptionFactory, SeanceFactory
from tests.youth.factories import EntretienFactory


pytestmark = pytest.mark.django_db


def _text(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def noe():
    call_command("seed_demo", "--empty", stdout=io.StringIO())
    operation = Operation.objects.get(code="NOE")
    first = participant(operation, entree=date(2017, 2, 1), sortie=date(2017, 6, 1), situation="emploi_cdi", sexe="F")
    participant(operation, entree=date(2017, 3, 1), sexe="H", complet=False)
    participant(operation, entree=date(2017, 4, 1), sortie=date(2017, 9, 1), situation="dispositif_cej", sexe="F")
    participant(operation, entree=date(2017, 5, 2), sortie=date(2017, 5, 2), sexe="H")  # same day: not FSE
    first.jeune.nom, first.jeune.prenom = "Zorglub", "Ermengarde"
    first.jeune.save()
    return operation


def test_pdf_identifies_the_operation_with_eu_mention_and_french_figures(noe):
    pdf = render_bilan_pdf(noe, date(2017, 1, 1), date(2017, 12, 31))
    reader, text = _text(pdf)
    assert pdf.startswith(b"%PDF")
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4
    for expected in (
        "Union européenne",
        "Initiative pour l'emploi des jeunes",
        "code NOE",
        "201600456",
        "FSE – IEJ",
        "du 01/01/2016 au 31/12/2018",
        "Période du 01/01/2017 au 31/12/2017",
        "128 660,00 €",
        "15 060,00 €",
        "91,89 %",
        "78,04 %",
        "66,67 %",  # 2 positive exits out of 3
        "Page 1 sur ",
        "P-0001",
        "P-0003",
        "Principes horizontaux",
        "Mesures de publicité",
        "Résultats immédiats",
        "Résultats à 6 mois",
        "CO01",
        "IEJ-CR12",
        "Je soussigné(e)",
        "Cachet de la structure",
    ):
        assert expected.replace(" ", "\u00a0") in text or expected in text, expected
    assert f"Page 1 sur {len(reader.pages)}" in text.replace("\u00a0", " ")
    assert "P-0004" not in text  # the same-day participation is not listed
    flat = " ".join(text.replace("\u00a0", " ").split())
    assert flat.count("Nouvel Objectif Emploi") == 2  # title and attestation, not repeated in the identification
    assert "NOE — NOE" not in text  # the code is not printed twice
    assert "Zorglub" not in text
    assert "Ermengarde" not in text


def test_actions_block_counts_interviews_sessions_zelles_and_aids(noe):
    jeune = noe.participations.filter(date_entree=date(2017, 2, 1)).get().jeune
    EntretienFactory(jeune=jeune, date=date(2017, 3, 1))
    EntretienFactory(jeune=jeune, date=date(2016, 3, 1))  # outside the period
    zelles = AtelierFactory(organisation=noe.organisation, operation=noe, femmes=True)
    seance = SeanceFactory(atelier=zelles, date=date(2017, 4, 4))
    InscriptionFactory(seance=seance, jeune=jeune, presence="present")
    ligne = LigneBudgetaire.objects.filter(operation=noe, categorie="participants").get()
    Aide.objects.create(
        organisation=noe.organisation,
        participation=jeune.participations.get(),
        ligne_budgetaire=ligne,
        kind="permis_am",
        date_attribution=date(2017, 5, 1),
        montant=Decimal("350"),
        permis_obtenu=True,
    )
    _, text = _text(render_bilan_pdf(noe, date(2017, 1, 1), date(2017, 12, 31)))
    flat = text.replace("\u00a0", " ")
    assert "Entretiens individuels 1 1 jeune(s) reçu(s)" in flat
    assert "Les Z'ELLES" in flat
    assert "1 présence(s), 1 jeune(s) femme(s)" in flat
    assert "Aide matérielle : Permis AM 1 350,00 € ; 1 permis obtenu(s)" in flat


def test_progress_callback_goes_up_to_95(noe):
    steps = []
    render_bilan_pdf(noe, date(2017, 1, 1), date(2017, 12, 31), progress=lambda p, m: steps.append((p, m)))
    values = [p for p, _ in steps]
    assert values == sorted(values)
    assert values[0] <= 5
    assert values[-1] == 95
    assert all(message for _, message in steps)


def test_render_accepts_code_and_iso_dates_for_the_command(noe):
    assert render_bilan_pdf("NOE", "2017-01-01", "2017-12-31").startswith(b"%PDF")


def test_queries_do_not_grow_with_participants(noe):
    du, au = date(2017, 1, 1), date(2017, 12, 31)
    with CaptureQueriesContext(connection) as small:
        render_bilan_pdf(noe, du, au)
    bulk_participants(noe, 60, entree=date(2017, 6, 1))
    bulk_participants(noe, 20, entree=date(2017, 6, 1), sortie=date(2017, 8, 1), situation="interim", start=100)
    with CaptureQueriesContext(connection) as big:
        pdf = render_bilan_pdf(noe, du, au)
    assert len(big.captured_queries) == len(small.captured_queries)
    assert "P-0083" in _text(pdf)[1]


def test_participant_rows_pseudonymise_and_flag_completeness(noe):
    rows = participant_rows(noe, date(2017, 1, 1), date(2017, 12, 31))
    assert [r["id"] for r in rows] == ["P-0001", "P-0002", "P-0003"]
    assert [r["complet"] for r in rows] == [True, False, True]
    assert set(rows[0]) == {"id", "sexe", "date_entree", "date_sortie", "categorie", "complet"}


def test_emblem_and_css_strings_are_safe():
    svg = eu_emblem_svg()
    assert svg.count("<polygon") == 12
    assert 'fill="#003399"' in svg
    assert str(css_string('A "b" </style>')) == '"A \\"b\\" \\3c /style>"'
