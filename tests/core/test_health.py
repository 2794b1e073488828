import time
import uuid

import pytest

from core.tasks import worker_heartbeat


pytestmark = pytest.mark.django_db


@pytest.fixture
def real_broker(settings):
    """Not eager, with a heartbeat key of this test's own (tests run in parallel on one Redis)."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.WORKER_HEARTBEAT_KEY = f"test:worker-heartbeat:{uuid.uuid4().hex}"
    yield settings
    from core.heartbeat import _redis

    _redis().delete(settings.WORKER_HEARTBEAT_KEY)


def test_sante_reports_database_broker_storage_and_worker(client, real_broker):
    worker_heartbeat()  # what a worker does every minute (beat schedule "battement-du-worker")
    response = client.get("/sante/")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok", "storage": "ok", "worker": "ok", "status": "ok"}


def test_sante_reports_eager_without_a_worker(client):
    response = client.get("/sante/")
    assert response.status_code == 200
    assert response.json()["worker"] == "eager"


def test_sante_answers_503_without_a_worker_heartbeat(client, real_broker):
    response = client.get("/sante/")
    assert response.status_code == 503
    assert response.json()["worker"] == "erreur"
    assert response.json()["database"] == "ok"


def test_sante_answers_503_when_the_worker_heartbeat_is_old(client, real_broker):
    from core.heartbeat import heartbeat_write

    heartbeat_write(now=time.time() - real_broker.WORKER_HEARTBEAT_MAX_AGE - 5)
    response = client.get("/sante/")
    assert response.status_code == 503
    assert response.json()["worker"] == "erreur"


def test_heartbeat_is_scheduled_by_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["battement-du-worker"]
    assert entry["task"] == worker_heartbeat.name
    assert entry["schedule"] < settings.WORKER_HEARTBEAT_MAX_AGE


def test_sante_answers_503_when_the_broker_is_down(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/sante/")
    assert response.status_code == 503
    assert response.json()["broker"] == "erreur"
    assert response.json()["worker"] == "erreur"


def test_security_headers(client):
    response = client.get("/connexion/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
