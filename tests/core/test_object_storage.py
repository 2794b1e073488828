"""Uploads on S3-compatible object storage (moto in server mode): a file uploaded through one web process is
downloaded through another, still through the scoped view; the health check asks the bucket; generated files
(the browser import's kept file) go to the bucket too, never to the local disk."""

import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client

from core.models import Role
from tests.core import s3_support
from tests.core.factories import MembershipFactory
from tests.youth.factories import JeuneFactory
from youth.models import Document


PDF = b"%PDF-1.4\n% Tremplin test\n" + os.urandom(2048) + b"\n%%EOF\n"


@pytest.fixture(scope="module")
def s3():
    bucket = f"tremplin-{uuid.uuid4().hex[:8]}"
    server, endpoint = s3_support.start_s3(bucket)
    yield {"endpoint": endpoint, "bucket": bucket, "client": s3_support.client(endpoint)}
    server.stop()


@pytest.fixture
def on_s3(s3, settings):
    settings.STORAGES = s3_support.storages_setting(s3["endpoint"], s3["bucket"], django_settings.STORAGES)
    return s3


def _keys(s3):
    return {item["Key"] for item in s3["client"].list_objects_v2(Bucket=s3["bucket"]).get("Contents", [])}


@pytest.mark.django_db
def test_health_check_asks_the_bucket(client, on_s3, settings):
    response = client.get("/sante/")
    assert response.json()["storage"] == "s3"
    settings.STORAGES = s3_support.storages_setting(on_s3["endpoint"], "absent-bucket", django_settings.STORAGES)
    response = client.get("/sante/")
    assert response.status_code == 503
    assert response.json()["storage"] == "erreur"


@pytest.mark.django_db
def test_import_file_is_kept_in_the_bucket_and_read_back_from_it(
    client, on_s3, tmp_path, settings, django_capture_on_commit_callbacks
):
    """The dry run stores the upload, the job reads it back and the audit download streams it: all from S3."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from reports.models import ImportJob
    from tests.funding.factories import OperationFactory
    from youth.models import Participation

    settings.MEDIA_ROOT = tmp_path
    membership = MembershipFactory(role=Role.COORDINATEUR)
    client.force_login(membership.user)
    operation = OperationFactory(organisation=membership.organisation)
    content = (
        "reference;nom;prenom;sexe;date_naissance;date_reperage;origine\n"
        "S1;Nord;Ana;F;2001-01-01;2025-01-01;aller-vers\n"
    )
    response = client.post(
        reverse("reports:import_index"),
        {"operation": operation.pk, "fichier": SimpleUploadedFile("s3.csv", content.encode())},
    )
    assert response.context["problems"] == []
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:import_launch"), {"jeton": response.context["token"]})
    job = ImportJob.objects.get()
    assert job.status == "done", job.error
    assert Participation.objects.filter(operation=operation, reference="S1").exists()
    assert job.fichier.name in _keys(on_s3)
    kept = client.get(reverse("reports:import_job_file", args=[job.pk]))
    assert b"".join(kept.streaming_content) == content.encode()
    assert list(Path(tmp_path).rglob("*.csv")) == []  # nothing on the local disk


# --- Two web processes, one bucket ----------------------------------------------------------------------------


def _serve(port, env, log):
    return subprocess.Popen(  # noqa: S603 - our own interpreter and gunicorn
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "2",
            "--timeout",
            "30",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=django_settings.BASE_DIR,
    )


def _wait_up(url, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"le serveur {url} s'est arrêté (code {process.returncode})")
        try:
            requests.get(url + "/connexion/", timeout=5)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise AssertionError(f"le serveur {url} ne répond pas")


@pytest.fixture
def two_web_processes(s3, transactional_db, tmp_path):
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    processes, urls = [], []
    for index in (1, 2):
        port = s3_support.free_port()
        env = {
            **os.environ,
            **s3_support.storage_env(s3["endpoint"], s3["bucket"]),
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": url,
            "MEDIA_ROOT": str(tmp_path / f"media-{index}"),  # each process its own disk: only S3 is shared
            "WEB_CONCURRENCY": "1",
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        log = (tmp_path / f"web-{index}.log").open("wb")
        processes.append((_serve(port, env, log), log))
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for (process, _log), base in zip(processes, urls, strict=True):
            _wait_up(base, process)
        yield urls
    finally:
        for process, log in processes:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()


def _session_for(user):
    client = Client()
    client.force_login(user)
    session = requests.Session()
    session.cookies.set(django_settings.SESSION_COOKIE_NAME, client.cookies[django_settings.SESSION_COOKIE_NAME].value)
    return session


def test_a_file_uploaded_through_one_process_is_downloaded_through_another(two_web_processes, s3, tmp_path):
    first, second = two_web_processes
    conseillere = MembershipFactory(role=Role.CONSEILLERE)
    jeune = JeuneFactory(organisation=conseillere.organisation)
    browser = _session_for(conseillere.user)

    # Upload through process 1 (the ordinary form, CSRF token included).
    form_url = f"{first}/jeunes/{jeune.pk}/documents/nouveau/"
    page = browser.get(form_url, timeout=30)
    assert page.status_code == 200, page.text[:500]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = browser.post(
        form_url,
        data={"csrfmiddlewaretoken": token, "kind": "autre", "obtenu_le": "2026-11-23"},
        files={"fichier": ("attestation.pdf", PDF, "application/pdf")},
        headers={"Referer": form_url},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, response.text[:1000]
    document = Document.objects.get(jeune=jeune)
    assert document.fichier.name in _keys(s3)  # in the bucket…
    assert not any((tmp_path / "media-1").rglob("*.pdf"))  # …not on process 1's disk

    # Download through process 2: the same bytes, streamed by the scoped view (no bucket URL).
    download_url = f"{second}/jeunes/{jeune.pk}/documents/{document.pk}/"
    download = browser.get(download_url, timeout=30, allow_redirects=False)
    assert download.status_code == 200
    assert download.content == PDF
    assert download.headers["Cache-Control"] == "private, no-store"
    assert s3["endpoint"] not in page.text

    # The scope check still applies: a conseillère of another organisation gets 404 from process 2.
    intruder = _session_for(MembershipFactory(role=Role.CONSEILLERE).user)
    assert intruder.get(download_url, timeout=30, allow_redirects=False).status_code == 404
