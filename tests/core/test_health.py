import pytest


pytestmark = pytest.mark.django_db


def test_sante_reports_database_broker_and_storage(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = client.get("/sante/")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok", "storage": "ok", "status": "ok"}


def test_sante_answers_503_when_the_broker_is_down(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/sante/")
    assert response.status_code == 503
    assert response.json()["broker"] == "erreur"


def test_security_headers(client):
    response = client.get("/connexion/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
