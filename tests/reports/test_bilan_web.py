from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core import dataversion
from core.models import Role
from reports.models import BilanJob
from tests.core.factories import MembershipFactory
from tests.funding.factories import LigneBudgetaireFactory, ObjectifFactory, OperationFactory, RessourceFactory
from tests.reports.factories import bulk_participants, participant


pytestmark = pytest.mark.django_db


@pytest.fixture
def coord(client):
    membership = MembershipFactory(role=Role.COORDINATEUR)
    client.force_login(membership.user)
    return membership


@pytest.fixture
def operation(coord):
    operation = OperationFactory(
        organisation=coord.organisation,
        code="NOEX",
        intitule="Nouvel Objectif Test",
        numero_mdfse="201600456",
        date_debut=date(2016, 1, 1),
        date_fin=date(2018, 12, 31),
    )
    ObjectifFactory(operation=operation, indicateur="entrees", cible=4)
    LigneBudgetaireFactory(operation=operation, montant_prevu=Decimal("100400"))
    RessourceFactory(operation=operation, montant=Decimal("118225.67"))
    participant(operation, entree=date(2017, 2, 1), sortie=date(2017, 6, 1), situation="emploi_cdi", sexe="F")
    participant(operation, entree=date(2017, 3, 1), sexe="H", complet=False)
    participant(operation, entree=date(2017, 4, 1), sortie=date(2017, 9, 1), situation="abandon", sexe="F")
    return operation


def _url(operation, **params):
    from django.utils.http import urlencode

    url = reverse("reports:bilan_operation", args=[operation.pk])
    return url + ("?" + urlencode(params) if params else "")


def test_index_lists_only_own_operations_and_redirects_to_the_chosen_one(client, coord, operation):
    other = OperationFactory(intitule="Ailleurs")
    response = client.get(reverse("reports:bilan_index"))
    assert operation.intitule in response.content.decode()
    assert other.intitule not in response.content.decode()
    response = client.get(reverse("reports:bilan_index"), {"operation": operation.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:bilan_operation", args=[operation.pk])
    assert client.get(reverse("reports:bilan_index"), {"operation": other.pk}).status_code == 404


def test_figures_of_the_period_as_readable_tables(client, operation):
    response = client.get(_url(operation, du="2017-01-01", au="2017-12-31"))
    html = response.content.decode()
    assert response.status_code == 200
    data = response.context["data"]
    assert (data["entrees"], data["sorties"]) == (3, 2)
    assert "Période : du 01/01/2017 au 31/12/2017" in html
    assert "75,00\u00a0%" in html  # objectif entrées : 3 / 4
    assert "50,00\u00a0%" in html  # 1 sortie positive sur 2
    assert "Complétude insuffisante" not in html  # 2 complete records out of 3 = 66,67 %
    assert "66,67\u00a0%" in html
    assert "15\u00a0060,00\u00a0€" in html  # indirect costs
    assert "<caption>Entrées par sexe et par âge à l'entrée</caption>" in html
    assert 'scope="col"' in html


def test_completeness_alert_under_65_percent(client, operation):
    participant(operation, entree=date(2017, 5, 1), complet=False, telephone="")
    data = client.get(_url(operation, du="2017-01-01", au="2017-12-31")).context["data"]
    assert data["completude"]["alerte"] is True
    html = client.get(_url(operation, du="2017-01-01", au="2017-12-31")).content.decode()
    assert "Complétude insuffisante" in html


def test_default_period_is_the_current_calendar_year_with_presets(client, operation):
    year = timezone.localdate().year
    response = client.get(_url(operation))
    assert (response.context["du"], response.context["au"]) == (date(year, 1, 1), date(year, 12, 31))
    html = response.content.decode()
    assert "Toute l&#x27;opération" in html
    assert "du=2016-01-01&amp;au=2018-12-31" in html
    assert "Année 2017" in html


def test_invalid_period_explains_and_falls_back(client, operation):
    response = client.get(_url(operation, du="2017-12-31", au="2017-01-01"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "La fin de la période précède son début." in html
    assert response.context["du"].year == timezone.localdate().year


def test_page_queries_do_not_grow_with_participants_or_jobs(client, coord, operation, django_assert_max_num_queries):
    url = _url(operation, du="2017-01-01", au="2017-12-31")
    with django_assert_max_num_queries(27) as first:  # 20 + the 7 fixed queries of the ledger finance block
        client.get(url)
    bulk_participants(operation, 40, entree=date(2017, 5, 5))
    dataversion.bump(operation.organisation_id)  # bulk_create sends no signal (the importer bumps, core.dataversion)
    for month in range(1, 6):
        BilanJob.objects.create(
            organisation=operation.organisation,
            operation=operation,
            du=date(2017, month, 1),
            au=date(2017, 12, 31),
            created_by=coord.user,
            status=BilanJob.Status.DONE,
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(url)
    assert response.context["data"]["entrees"] == 43


def test_generate_pdf_runs_the_task_and_offers_the_download(
    client, coord, operation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:bilan_job_launch", args=[operation.pk]), {"du": "2017-01-01", "au": "2017-12-31"}
        )
    job = BilanJob.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#job-{job.pk}")
    assert (job.status, job.progress, job.created_by, job.organisation) == (
        "done",
        100,
        coord.user,
        coord.organisation,
    )
    assert job.finished_at is not None
    page = client.get(response["Location"]).content.decode()
    assert reverse("reports:bilan_job_download", args=[job.pk]) in page
    download = client.get(reverse("reports:bilan_job_download", args=[job.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert "bilan-NOEX-2017-01-01-2017-12-31.pdf" in download["Content-Disposition"]


def test_second_launch_returns_the_running_job(client, coord, operation, django_capture_on_commit_callbacks):
    colleague = MembershipFactory(organisation=coord.organisation, role=Role.COORDINATEUR).user
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("reports:bilan_job_launch", args=[operation.pk]), {"du": "2017-01-01", "au": "2017-12-31"})
    assert len(callbacks) == 1  # one task queued
    client.force_login(colleague)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("reports:bilan_job_launch", args=[operation.pk]), {"du": "2017-01-01", "au": "2017-12-31"}
        )
    assert callbacks == []  # nothing queued the second time
    assert BilanJob.objects.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "déjà en cours de génération" in page


def test_progress_fragment_polls_while_running_and_stops_when_done(client, operation):
    job = BilanJob.objects.create(
        organisation=operation.organisation,
        operation=operation,
        du=date(2017, 1, 1),
        au=date(2017, 12, 31),
        status=BilanJob.Status.RUNNING,
        progress=40,
        message="Budget et participants",
        heartbeat_at=timezone.now(),
    )
    url = reverse("reports:bilan_job_progress", args=[job.pk])
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert f'hx-get="{url}"' in fragment
    assert 'hx-trigger="every 2s"' in fragment
    assert 'aria-valuenow="40"' in fragment
    assert "Budget et participants" in fragment
    assert "<html" not in fragment
    BilanJob.objects.filter(pk=job.pk).update(status=BilanJob.Status.DONE, progress=100)
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in fragment
    assert "Télécharger le PDF" in fragment
    full_page = client.get(url).content.decode()
    assert "<html" in full_page


def test_failed_job_shows_why_and_can_be_relaunched(client, operation, django_capture_on_commit_callbacks):
    job = BilanJob.objects.create(
        organisation=operation.organisation,
        operation=operation,
        du=date(2017, 1, 1),
        au=date(2017, 12, 31),
        status=BilanJob.Status.FAILED,
        error="ValueError : données incohérentes",
    )
    fragment = client.get(reverse("reports:bilan_job_progress", args=[job.pk]), headers={"HX-Request": "true"})
    assert "données incohérentes" in fragment.content.decode()
    assert "Relancer" in fragment.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:bilan_job_relaunch", args=[job.pk]))
    new = BilanJob.objects.exclude(pk=job.pk).get()
    assert new.status == "done"
    assert client.get(reverse("reports:bilan_job_download", args=[job.pk])).status_code == 404  # failed: no file


def test_interrupted_job_is_shown_and_relaunchable(client, operation, django_capture_on_commit_callbacks):
    job = BilanJob.objects.create(
        organisation=operation.organisation,
        operation=operation,
        du=date(2017, 1, 1),
        au=date(2017, 12, 31),
        status=BilanJob.Status.RUNNING,
        progress=30,
        heartbeat_at=timezone.now() - timezone.timedelta(minutes=10),
    )
    fragment = client.get(reverse("reports:bilan_job_progress", args=[job.pk]), headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert "Interrompu" in html
    assert "hx-trigger" not in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:bilan_job_launch", args=[operation.pk]), {"du": "2017-01-01", "au": "2017-12-31"})
    job.refresh_from_db()
    assert job.status == "failed"
    assert "interrompue" in job.error
    assert BilanJob.objects.filter(status="done").count() == 1


@pytest.mark.parametrize("role", [Role.CONSEILLERE, Role.CHARGE_ENTREPRISES, Role.PARTENAIRE])
def test_only_coordination_reaches_bilans(client, operation, role):
    user = MembershipFactory(organisation=operation.organisation, role=role).user
    job = BilanJob.objects.create(
        organisation=operation.organisation, operation=operation, du=date(2017, 1, 1), au=date(2017, 12, 31)
    )
    client.force_login(user)
    for url in (
        reverse("reports:bilan_index"),
        _url(operation),
        reverse("reports:bilan_export", args=[operation.pk, "chiffres-csv"]),
        reverse("reports:bilan_job_progress", args=[job.pk]),
        reverse("reports:bilan_job_download", args=[job.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("reports:bilan_job_launch", args=[operation.pk]), {}).status_code == 403


def test_other_organisation_gets_404_on_operation_job_and_download(client, operation):
    intruder = MembershipFactory(role=Role.COORDINATEUR).user
    job = BilanJob.objects.create(
        organisation=operation.organisation,
        operation=operation,
        du=date(2017, 1, 1),
        au=date(2017, 12, 31),
        status=BilanJob.Status.DONE,
    )
    client.force_login(intruder)
    assert client.get(_url(operation)).status_code == 404
    assert client.get(reverse("reports:bilan_job_progress", args=[job.pk])).status_code == 404
    assert client.get(reverse("reports:bilan_job_download", args=[job.pk])).status_code == 404
    assert client.post(reverse("reports:bilan_job_relaunch", args=[job.pk])).status_code == 404
    assert client.post(reverse("reports:bilan_job_launch", args=[operation.pk]), {}).status_code == 404
    assert client.get(reverse("reports:bilan_export", args=[operation.pk, "chiffres-csv"])).status_code == 404


@pytest.mark.parametrize(
    ("kind", "content_type"),
    [
        ("chiffres-csv", "text/csv"),
        ("chiffres-xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("participants-csv", "text/csv"),
        ("participants-xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_exports(client, operation, kind, content_type):
    pytest.importorskip("reports.exports")
    response = client.get(
        reverse("reports:bilan_export", args=[operation.pk, kind]), {"du": "2017-01-01", "au": "2017-12-31"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert "2017-01-01-2017-12-31" in response["Content-Disposition"]
    assert len(response.content) > 20


def test_unknown_export_is_404(client, operation):
    assert client.get(reverse("reports:bilan_export", args=[operation.pk, "inconnu"])).status_code == 404
