"""The contrôle de service fait pack: reproducible draw, ZIP with an index listing missing proofs, web pages."""

import csv
import io
import zipfile
from datetime import date
from unittest import mock

import pytest
from django.urls import reverse

from core.audit import changes_for
from core.models import Role
from reports import services
from reports.csf import draw_sample
from reports.models import CsfPack
from tests.core.factories import MembershipFactory
from tests.expenses.factories import DepenseFactory
from tests.funding.factories import OperationFactory
from tests.reports.csf_fixtures import csf_world
from tests.reports.factories import bulk_participants


pytestmark = pytest.mark.django_db
P = (date(2025, 1, 1), date(2025, 12, 31))


@pytest.fixture
def operation():
    return OperationFactory(date_debut=date(2024, 1, 1), date_fin=date(2026, 12, 31))


@pytest.fixture
def coord(operation):
    return MembershipFactory(organisation=operation.organisation, role=Role.COORDINATEUR)


def test_draw_is_reproducible_from_its_seed(operation):
    bulk_participants(operation, 60, entree=date(2025, 2, 1))
    bulk_participants(operation, 5, entree=date(2023, 2, 1), sortie=date(2024, 6, 1), start=100)  # out of P
    DepenseFactory.create_batch(40, operation=operation)
    DepenseFactory.create_batch(3, operation=operation, non_acquittee=True)  # never drawn: not counted
    first = draw_sample(operation, *P, 1234, 10, 8)
    assert first == draw_sample(operation, *P, 1234, 10, 8)
    assert first != draw_sample(operation, *P, 4321, 10, 8)
    participations, depenses, population_p, population_d = first
    assert (len(participations), len(depenses), population_p, population_d) == (10, 8, 60, 40)
    assert draw_sample(operation, *P, 1, 500, 500)[:2] != ([], [])  # a sample larger than the population: all


def test_pack_zip_holds_the_proofs_and_lists_the_missing_ones(operation, coord, django_capture_on_commit_callbacks):
    csf_world(operation)
    with mock.patch("reports.services._queue_csf"):
        pack = services.csf_pack_launch(
            operation=operation, du=P[0], au=P[1], user=coord.user, nb_participants=5, nb_depenses=5, graine=7
        )
    assert len(pack.participations_tirees) == 2
    assert len(pack.depenses_tirees) == 3
    pack = services.csf_pack_run(pack_id=pack.pk)
    assert pack.status == "done"
    assert pack.fichier.name.startswith("controles/")
    with pack.fichier.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        names = set(archive.namelist())
        rows = list(csv.DictReader(io.StringIO(archive.read("index.csv").decode("utf-8-sig")), delimiter=";"))
        index_pdf = archive.read("index.pdf")
    from pypdf import PdfReader

    pdf_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(index_pdf)).pages)
    assert "Pièces manquantes" in pdf_text
    assert "Dépense FAC-2" in pdf_text
    assert "graine 7" in pdf_text
    assert {"index.csv", "index.pdf"} <= names
    assert sum(1 for n in names if n.startswith("emargements/")) == 1  # one signed sheet, shared by both
    assert any(n.startswith("depenses/FAC-1") for n in names)
    missing = {(r["element"], r["piece"].split(" (")[0]) for r in rows if r["statut"] == "manquante"}
    assert ("Dépense FAC-2", "Justificatif de paiement") in missing  # the factory's expense has no proof
    assert any(piece.startswith("Feuille de temps signée 03/2025") for _, piece in missing)
    assert any(piece.startswith("Émargement CV et lettre du 10/05/2025") for _, piece in missing)
    assert any(piece.startswith("Attestation sur l'honneur NEET") for _, piece in missing)
    statuts = {r["statut"] for r in rows}
    assert {"jointe", "manquante", "vue, non conservée", "sans objet (en parcours)"} <= statuts
    assert pack.pieces_manquantes == len([r for r in rows if r["statut"] == "manquante"])
    for row in rows:
        if row["statut"] == "jointe":
            assert row["fichier"] in names


def test_seed_and_draw_are_in_the_audit_log(operation, coord):
    csf_world(operation)
    with mock.patch("reports.services._queue_csf"):
        pack = services.csf_pack_launch(
            operation=operation, du=P[0], au=P[1], user=coord.user, nb_participants=1, nb_depenses=2, graine=99
        )
    record = pack.history.earliest()
    assert record.history_user == coord.user
    assert "graine 99" in record.history_change_reason
    assert record.participations_tirees == pack.participations_tirees
    assert record.depenses_tirees == pack.depenses_tirees
    rows = list(changes_for(operation.organisation))
    assert any(r["audit_modele"] == "reports.CsfPack" for r in rows)


def test_web_launch_progress_download_and_relaunch(client, operation, coord, django_capture_on_commit_callbacks):
    csf_world(operation)
    client.force_login(coord.user)
    url = reverse("reports:csf_index", args=[operation.pk])
    data = {"du": "2025-01-01", "au": "2025-12-31", "nb_participants": "abc", "nb_depenses": "2", "graine": "5"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert 'value="5"' in response.content.decode()  # what was typed is kept
    data["nb_participants"] = "1"
    with django_capture_on_commit_callbacks(execute=True):  # eager in tests: the task runs at commit
        response = client.post(url, data)
    assert response.status_code == 302
    pack = CsfPack.objects.get()
    assert pack.status == "done"
    assert pack.graine == 5
    page = client.get(url).content.decode()
    assert "Télécharger le ZIP" in page
    download = client.get(reverse("reports:csf_pack_download", args=[pack.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"
    CsfPack.objects.filter(pk=pack.pk).update(status="failed", error="Boom")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:csf_pack_relaunch", args=[pack.pk]))
    assert response.status_code == 302
    again = CsfPack.objects.exclude(pk=pack.pk).get()
    assert (again.graine, again.participations_tirees, again.depenses_tirees) == (
        pack.graine,
        pack.participations_tirees,
        pack.depenses_tirees,
    )
    assert again.status == "done"


def test_other_roles_and_organisations(client, operation):
    conseillere = MembershipFactory(organisation=operation.organisation, role=Role.CONSEILLERE)
    client.force_login(conseillere.user)
    assert client.get(reverse("reports:csf_index", args=[operation.pk])).status_code == 403
    other = MembershipFactory(role=Role.COORDINATEUR)
    client.force_login(other.user)
    assert client.get(reverse("reports:csf_index", args=[operation.pk])).status_code == 404


def test_index_page_queries_are_bounded(client, operation, coord, django_assert_max_num_queries):
    client.force_login(coord.user)
    url = reverse("reports:csf_index", args=[operation.pk])
    for graine in range(3):
        CsfPack.objects.create(
            organisation=operation.organisation,
            operation=operation,
            du=P[0],
            au=P[1],
            graine=graine,
            nb_participants=1,
            nb_depenses=1,
            created_by=coord.user,
        )
    with django_assert_max_num_queries(12) as first:
        client.get(url)
    for graine in range(3, 30):
        CsfPack.objects.create(
            organisation=operation.organisation,
            operation=operation,
            du=P[0],
            au=P[1],
            graine=graine,
            nb_participants=1,
            nb_depenses=1,
            created_by=coord.user,
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(url)


def test_an_interrupted_pack_offers_the_relaunch_button(client, operation, coord):
    from datetime import timedelta

    from django.utils import timezone

    client.force_login(coord.user)
    stale = timezone.now() - timedelta(minutes=10)
    pack = CsfPack.objects.create(
        organisation=operation.organisation,
        operation=operation,
        du=P[0],
        au=P[1],
        graine=1,
        nb_participants=1,
        nb_depenses=1,
        status="running",
        started_at=stale,
        heartbeat_at=stale,
    )
    html = client.get(reverse("reports:csf_pack_progress", args=[pack.pk])).content.decode()
    assert "Interrompu" in html
    assert reverse("reports:csf_pack_relaunch", args=[pack.pk]) in html
