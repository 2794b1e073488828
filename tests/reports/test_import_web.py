"""The participant import in the browser: dry run with the problems (line, column) and an error file, then a
Celery job (eager here) that writes all or nothing; the file is kept with the job."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Role
from reports import services
from reports.models import ImportJob
from tests.core.factories import MembershipFactory
from tests.funding.factories import OperationFactory
from youth.models import Jeune, Participation


pytestmark = pytest.mark.django_db

HEADER = "reference;nom;prenom;sexe;date_naissance;date_reperage;origine;date_entree"
GOOD = [
    "W1;Martin;Léa;F;2000-03-04;2025-01-10;aller-vers;2025-02-01",
    "W2;Durand;Yanis;H;12/12/1999;2025-01-12;aller-vers;",
    "W3;Petit;Inès;F;1999-05-05;2025-02-12;spontané;2025-03-01",
]
BAD = [GOOD[0], "W2;Durand;Yanis;Q;12/12/1999;2025-01-12;aller-vers;", GOOD[2]]


def upload(lines, name="participants.csv"):
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode("utf-8"), content_type="text/csv")


@pytest.fixture
def coord(client):
    membership = MembershipFactory(role=Role.COORDINATEUR)
    client.force_login(membership.user)
    return membership


@pytest.fixture
def operation(coord):
    return OperationFactory(organisation=coord.organisation, code="IMPW")


def check(client, operation, lines, name="participants.csv"):
    return client.post(reverse("reports:import_index"), {"operation": operation.pk, "fichier": upload(lines, name)})


def test_dry_run_lists_the_problem_by_line_and_column_and_writes_nothing(client, operation):
    response = check(client, operation, [HEADER, *BAD])
    assert response.status_code == 200
    problems = response.context["problems"]
    assert [(p.line, p.column) for p in problems] == [(3, "sexe")]
    assert "code inconnu « Q »" in problems[0].message
    page = response.content.decode()
    assert "Import impossible : 1 problème(s). Rien n'a été écrit." in page
    assert '<td>3</td><td class="text-break">sexe</td>' in page
    assert reverse("reports:import_launch") not in page  # no « Importer » button
    assert Jeune.objects.count() == 0
    assert ImportJob.objects.count() == 0

    # The error file: the original rows, and the problem of line 3 in an « erreurs » column.
    errors = client.get(response.context["errors_url"])
    assert errors.status_code == 200
    assert errors["Content-Disposition"] == 'attachment; filename="participants-erreurs.csv"'
    rows = list(csv.reader(io.StringIO(errors.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [*HEADER.split(";"), "erreurs"]
    assert rows[1][-1] == ""
    assert rows[2][:4] == ["W2", "Durand", "Yanis", "Q"]
    assert rows[2][-1].startswith("sexe : code inconnu « Q »")
    assert len(rows) == 4


def test_error_file_of_an_xlsx_upload_is_an_xlsx(client, operation):
    from openpyxl import Workbook, load_workbook

    workbook = Workbook()
    for line in [HEADER, *BAD]:
        workbook.active.append(line.split(";"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client.post(
        reverse("reports:import_index"),
        {"operation": operation.pk, "fichier": SimpleUploadedFile("liste.xlsx", buffer.getvalue())},
    )
    assert [(p.line, p.column) for p in response.context["problems"]] == [(3, "sexe")]
    errors = client.get(response.context["errors_url"])
    assert 'filename="liste-erreurs.xlsx"' in errors["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(errors.content)).active
    assert sheet.cell(1, 9).value == "erreurs"
    assert sheet.cell(3, 9).value.startswith("sexe : code inconnu")


def test_valid_file_is_imported_by_the_job_and_kept_with_it(
    client, coord, operation, django_capture_on_commit_callbacks
):
    content = ("\n".join([HEADER, *GOOD]) + "\n").encode()
    response = check(client, operation, [HEADER, *GOOD])
    assert response.context["problems"] == []
    assert "3 participant(s) à créer" in response.content.decode()
    assert Jeune.objects.count() == 0  # the dry run wrote nothing
    token = response.context["token"]
    with django_capture_on_commit_callbacks(execute=True):
        launched = client.post(reverse("reports:import_launch"), {"jeton": token})
    job = ImportJob.objects.get()
    assert launched["Location"] == reverse("reports:import_job_progress", args=[job.pk])
    assert (job.status, job.progress, job.crees, job.lignes) == ("done", 100, 3, 3)
    assert (job.created_by, job.organisation, job.nom_fichier) == (coord.user, coord.organisation, "participants.csv")
    assert set(Participation.objects.filter(operation=operation).values_list("reference", flat=True)) == {
        "W1",
        "W2",
        "W3",
    }
    page = client.get(launched["Location"]).content.decode()
    assert "Import terminé : 3 participant(s) créé(s), 0 mis à jour" in page
    # The kept file, for the audit trail: the bytes that were checked.
    kept = client.get(reverse("reports:import_job_file", args=[job.pk]))
    assert b"".join(kept.streaming_content) == content
    assert 'filename="participants.csv"' in kept["Content-Disposition"]
    assert job.history.last().history_change_reason == "Import lancé depuis le navigateur"


def test_a_failed_job_says_why_writes_nothing_and_can_be_relaunched(
    client, operation, monkeypatch, django_capture_on_commit_callbacks
):
    from reports import importer

    token = check(client, operation, [HEADER, *GOOD]).context["token"]
    real_apply = importer.apply

    def broken(result, operation, existing=None, *, write=True):
        real_apply(result, operation, existing, write=write)  # writes, then fails: the transaction rolls back
        raise ValueError("disque plein")

    monkeypatch.setattr(importer, "apply", broken)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:import_launch"), {"jeton": token})
    job = ImportJob.objects.get()
    assert job.status == "failed"
    assert "disque plein" in job.error
    assert Jeune.objects.count() == 0  # all or nothing
    page = client.get(reverse("reports:import_job_progress", args=[job.pk])).content.decode()
    assert "disque plein" in page
    assert reverse("reports:import_job_relaunch", args=[job.pk]) in page

    monkeypatch.setattr(importer, "apply", real_apply)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:import_job_relaunch", args=[job.pk]))
    new = ImportJob.objects.exclude(pk=job.pk).get()
    assert response["Location"] == reverse("reports:import_job_progress", args=[new.pk])
    assert new.status == "done"
    assert new.fichier.name == job.fichier.name
    assert Participation.objects.filter(operation=operation).count() == 3


def test_data_changed_since_the_dry_run_fails_the_job_with_the_problems(
    client, operation, django_capture_on_commit_callbacks
):
    token = check(client, operation, [HEADER, *GOOD]).context["token"]
    draft = services.import_draft_load(token, organisation=operation.organisation)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.import_job_launch(operation=operation, user=None, stored_name=draft["f"], nom_fichier="x.csv")
    # Same file, second import: fine (updates). Now the file itself is replaced by a bad one.
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    default_storage.delete(draft["f"])
    default_storage.save(draft["f"], ContentFile(("\n".join([HEADER, *BAD]) + "\n").encode()))
    with django_capture_on_commit_callbacks(execute=True):
        again = services.import_job_launch(operation=operation, user=None, stored_name=draft["f"], nom_fichier="x.csv")
    job.refresh_from_db()
    again.refresh_from_db()
    assert job.status == "done"
    assert again.status == "failed"
    assert "rien n'a été écrit : 1 problème(s)" in again.error
    assert again.problemes[0].startswith("ligne 3, colonne sexe")


def test_forged_or_foreign_tokens_are_refused(client, operation):
    assert client.post(reverse("reports:import_launch"), {"jeton": "faux"}).status_code == 404
    assert client.get(reverse("reports:import_errors"), {"jeton": "faux"}).status_code == 404
    other = MembershipFactory(role=Role.COORDINATEUR)
    foreign = OperationFactory(organisation=other.organisation)
    from django.core.files.uploadedfile import SimpleUploadedFile as Upload

    token = services.import_draft_save(
        organisation=other.organisation, operation=foreign, uploaded=Upload("a.csv", b"reference\n")
    )
    assert client.post(reverse("reports:import_launch"), {"jeton": token}).status_code == 404
    assert client.get(reverse("reports:import_errors"), {"jeton": token}).status_code == 404
    assert ImportJob.objects.count() == 0


def test_another_organisations_operation_cannot_be_chosen(client, operation):
    foreign = OperationFactory()
    response = client.post(
        reverse("reports:import_index"), {"operation": foreign.pk, "fichier": upload([HEADER, *GOOD])}
    )
    assert "operation" in response.context["form"].errors
    assert "checked" not in response.context


def test_unreadable_file_is_a_form_error(client, operation):
    response = check(client, operation, ["\xff\xfe"], name="liste.pdf")
    assert "Format non pris en charge" in response.context["form"].errors["fichier"][0]
    response = client.post(
        reverse("reports:import_index"),
        {"operation": operation.pk, "fichier": SimpleUploadedFile("l.csv", "é;a\n".encode("latin-1"))},
    )
    assert "UTF-8" in response.context["form"].errors["fichier"][0]


@pytest.mark.parametrize("role", [Role.CONSEILLERE, Role.CHARGE_ENTREPRISES])
def test_only_coordination_imports(client, role):
    client.force_login(MembershipFactory(role=role).user)
    assert client.get(reverse("reports:import_index")).status_code == 403


def test_index_queries_do_not_grow_with_jobs(client, coord, operation, django_assert_max_num_queries):
    for index in range(25):
        ImportJob.objects.create(
            organisation=coord.organisation, operation=operation, nom_fichier=f"f{index}.csv", created_by=coord.user
        )
    with django_assert_max_num_queries(12):
        response = client.get(reverse("reports:import_index"))
    assert response.status_code == 200
    assert len(response.context["page"]) == 20


def test_old_checked_files_nobody_imported_are_purged(
    client, operation, django_capture_on_commit_callbacks, settings, tmp_path
):
    from datetime import timedelta

    from django.core.files.storage import default_storage
    from django.utils import timezone

    settings.MEDIA_ROOT = tmp_path
    abandoned = services.import_draft_load(
        check(client, operation, [HEADER, *BAD]).context["token"], organisation=operation.organisation
    )
    imported = services.import_draft_load(
        check(client, operation, [HEADER, *GOOD]).context["token"], organisation=operation.organisation
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.import_job_launch(operation=operation, user=None, stored_name=imported["f"], nom_fichier="a.csv")
    assert services.import_drafts_purge() == []  # both are recent
    later = timezone.now() + timedelta(days=2)
    assert services.import_drafts_purge(now=later) == [abandoned["f"]]
    assert not default_storage.exists(abandoned["f"])
    assert default_storage.exists(imported["f"])  # kept with its job (audit trail)
