"""The bilan d'exécution (issue 15): editable texts, attestation, stable pseudonymous ids and the correspondence table,
records at fault in the coordinator's page, density grid upload, EU emblem and one page-number style in every PDF."""

import io
import math
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from core.emblem import STAR_INNER_RATIO, eu_emblem_svg, star_points
from core.models import Role
from reports.models import BilanTexte, GrilleDensite
from reports.pdf import render_bilan_pdf
from tests.core.factories import MembershipFactory
from tests.funding.factories import OperationFactory
from tests.reports.factories import participant


pytestmark = pytest.mark.django_db


@pytest.fixture
def coord(client):
    membership = MembershipFactory(role=Role.COORDINATEUR, organisation__siret="26590133900011")
    client.force_login(membership.user)
    return membership


@pytest.fixture
def operation(coord):
    return OperationFactory(
        organisation=coord.organisation,
        code="NOEX",
        intitule="Nouvel Objectif Test",
        programme="iej",
        date_debut=date(2016, 1, 1),
        date_fin=date(2018, 12, 31),
        representant_legal_nom="Claire Exemple",
        representant_legal_qualite="présidente du CCAS",
        adresse_beneficiaire="1 place du Marché, 62220 Carvin",
        priorite="Axe 1 — Accompagner les jeunes NEET",
        objectif_specifique="OS 1.1",
    )


def _text(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "") for page in reader.pages).replace("\u00a0", " ").split())


def _qs(du, au):
    return f"?du={du}&au={au}"


def test_texts_are_written_per_bilan_and_printed_with_the_attestation(client, coord, operation):
    participant(operation, entree=date(2017, 2, 1))
    url = reverse("reports:bilan_textes", args=[operation.pk]) + _qs("2017-01-01", "2017-12-31")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "principes_horizontaux": "Groupe Les Z'ELLES chaque année ; locaux accessibles.",
            "publicite": "Affiche FSE dans le hall ; emblème sur tous les documents.",
            "ecarts": "Repérage inférieur au prévu : fermeture du local au printemps.",
            "lieu_signature": "Carvin",
            "date_signature": "2018-01-15",
            "par_defaut": "on",
        },
    )
    assert response.status_code == 302
    assert BilanTexte.objects.get(operation=operation).lieu_signature == "Carvin"
    operation.refresh_from_db()
    assert operation.texte_publicite.startswith("Affiche FSE")
    text = _text(render_bilan_pdf(operation, date(2017, 1, 1), date(2017, 12, 31)))
    for expected in (
        "Je soussigné(e) Claire Exemple, présidente du CCAS, représentant(e) légal(e) de",
        "certifie l'exactitude des informations",
        "Fait à Carvin, le 15/01/2018",
        "SIRET 26590133900011",
        "1 place du Marché, 62220 Carvin",
        "Axe 1 — Accompagner les jeunes NEET",
        "OS 1.1",
        "Groupe Les Z'ELLES chaque année",
        "Affiche FSE dans le hall",
        "fermeture du local au printemps",
        "Cachet de la structure",
    ):
        assert expected in text, expected
    # another period falls back to the operation's default texts
    other = _text(render_bilan_pdf(operation, date(2016, 1, 1), date(2016, 12, 31)))
    assert "Affiche FSE dans le hall" in other
    assert "fermeture du local au printemps" in other  # saved as the operation's default too


def test_annex_ids_are_stable_across_bilans_and_only_exits_in_the_period(client, coord, operation):
    a = participant(operation, entree=date(2016, 3, 1), sortie=date(2017, 3, 1), situation="emploi_cdi")
    participant(operation, entree=date(2016, 5, 1))
    text_2016 = _text(render_bilan_pdf(operation, date(2016, 1, 1), date(2016, 12, 31)))
    assert "P-0001" in text_2016
    assert "P-0002" in text_2016
    assert "01/03/2017" not in text_2016  # the exit after the period is not shown
    # a participant entered later, but backdated before the others, does not shift the ids
    participant(operation, entree=date(2016, 1, 15))
    c = participant(operation, entree=date(2017, 6, 1))
    text_2017 = _text(render_bilan_pdf(operation, date(2017, 1, 1), date(2017, 12, 31)))
    for pid in ("P-0001", "P-0002", "P-0003", "P-0004"):
        assert pid in text_2017
    a.refresh_from_db()
    c.refresh_from_db()
    assert (a.numero_participant, c.numero_participant) == (1, 4)
    assert "01/03/2017" in text_2017
    assert a.jeune.nom not in text_2017
    # the correspondence table, coordination only
    url = reverse("reports:bilan_correspondance", args=[operation.pk]) + _qs("2017-01-01", "2017-12-31")
    html = client.get(url).content.decode()
    assert "P-0001" in html
    assert a.jeune.nom in html
    conseillere = MembershipFactory(organisation=coord.organisation, role=Role.CONSEILLERE)
    client.force_login(conseillere.user)
    assert client.get(url).status_code == 403


def test_coordinator_page_lists_the_records_breaking_a_partition(
    client, coord, operation, django_assert_max_num_queries
):
    participant(operation, entree=date(2017, 2, 1))
    fault = participant(operation, entree=date(2017, 2, 1), statut="", diplome="")
    url = reverse("reports:bilan_operation", args=[operation.pk]) + _qs("2017-01-01", "2017-12-31")
    with django_assert_max_num_queries(25) as first:
        html = client.get(url).content.decode()
    assert "Partitions incomplètes" in html
    assert reverse("youth:participation_questionnaire", args=[fault.jeune_id, fault.pk]) in html
    assert "statut à l'entrée manquant" in html
    assert "IEJ-CR12" in html
    for _ in range(5):
        participant(operation, entree=date(2017, 2, 1), statut="", diplome="")
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(url)


def test_density_grid_upload_page(client, coord, django_assert_max_num_queries):
    url = reverse("reports:grille_densite_list")
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    bad = SimpleUploadedFile("grille.csv", b"CODGEO;DENS\n59122;x\n")
    response = client.post(url, {"fichier": bad, "millesime": 2024})
    assert "Grille refusée" in response.content.decode()
    good = SimpleUploadedFile("grille.csv", b"CODGEO;LIBGEO;DENS\n59122;Carvin;2\n59001;Abancourt;4\n")
    response = client.post(url, {"fichier": good, "millesime": 2024})
    assert response.status_code == 302
    grid = GrilleDensite.objects.get(organisation=coord.organisation)
    assert (grid.millesime, grid.communes, grid.valable_du, grid.chargee_par) == (
        2024,
        2,
        date(2024, 1, 1),
        coord.user,
    )
    assert "grille.csv" in client.get(url).content.decode()


def test_eu_emblem_follows_its_geometric_specification():
    svg = str(eu_emblem_svg(150))
    assert 'width="150"' in svg
    assert 'height="100.00"' in svg  # 3:2
    assert svg.count("<polygon") == 12
    assert "#003399" in svg and "#FFCC00" in svg  # noqa: PT018
    points = star_points(75, 50 - 100 / 3, 100 / 18)  # the star at 12 o'clock
    assert points[0] == pytest.approx((75, 50 - 100 / 3 - 100 / 18))  # upright: first point straight up
    assert math.dist((75, 50 - 100 / 3), points[1]) == pytest.approx(100 / 18 * STAR_INNER_RATIO)


def test_every_pdf_uses_page_x_sur_y_and_the_fse_pdfs_draw_the_emblem():
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "templates"
    pdf_templates = [
        "reports/pdf/bilan.html",
        "youth/contrat_pdf.html",
        "workshops/_pdf_style.html",
        "security/rgpd_export_pdf.html",
        "diagnostics/pdf/evaluation_fiche.html",
    ]
    for name in pdf_templates:
        source = (templates / name).read_text()
        assert '"Page " counter(page) " sur " counter(pages)' in source, name
    for name in ("youth/contrat_pdf.html", "workshops/emargement_pdf.html", "workshops/immersion_convention_pdf.html"):
        assert "{% eu_emblem" in (templates / name).read_text(), name
