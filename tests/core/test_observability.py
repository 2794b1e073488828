"""Request id, JSON log lines without personal data, and error reporting that sends no personal data."""

import io
import json
import logging

import pytest

from core.observability import JsonFormatter
from tests.core.factories import MembershipFactory


pytestmark = pytest.mark.django_db


@pytest.fixture
def json_log():
    """Every log line written while the test runs, as the production handler formats it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)


def lines(stream):
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_request_id_is_generated_and_echoed(client):
    first, second = client.get("/sante/"), client.get("/sante/")
    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_a_well_formed_incoming_request_id_is_kept(client):
    response = client.get("/sante/", headers={"X-Request-ID": "4bf92f35-77b3-4da6-a3ce-929d0e0e4736"})
    assert response["X-Request-ID"] == "4bf92f35-77b3-4da6-a3ce-929d0e0e4736"


@pytest.mark.parametrize("incoming", ["court", "a b c d e f g h", 'x"}\n{"level": "ERROR"', "a" * 200, "é" * 10])
def test_a_malformed_incoming_request_id_is_replaced(client, incoming):
    response = client.get("/sante/", headers={"X-Request-ID": incoming})
    assert response["X-Request-ID"] != incoming
    assert len(response["X-Request-ID"]) == 32


def test_log_line_is_one_json_object_with_ids_and_no_personal_data(client, json_log):
    membership = MembershipFactory(user__email="sophie.martin@exemple.fr", user__first_name="Sophie")
    client.force_login(membership.user)
    response = client.get("/pas-de-page-ici/", headers={"X-Request-ID": "req-1234567890"})
    assert response.status_code == 404
    [line] = [line for line in lines(json_log) if line["logger"] == "django.request"]
    assert set(line) == {"time", "level", "logger", "message", "request_id", "organisation_id", "user_id"}
    assert line["time"].endswith("+00:00")
    assert (line["level"], line["message"]) == ("WARNING", "Not Found: /pas-de-page-ici/")
    assert line["request_id"] == "req-1234567890"
    assert line["organisation_id"] == membership.organisation_id
    assert line["user_id"] == membership.user_id
    text = json_log.getvalue()
    assert "sophie" not in text.lower()
    assert str(membership.organisation) not in text


def test_email_addresses_in_a_message_are_masked(json_log):
    logging.getLogger("tremplin.test").warning("Envoi refusé pour jeanne.dupont+test@exemple.fr")
    [line] = lines(json_log)
    assert line["message"] == "Envoi refusé pour [e-mail masqué]"
    assert (line["request_id"], line["organisation_id"], line["user_id"]) == (None, None, None)


def test_failed_login_warnings_do_not_name_the_email_or_ip(client, json_log):
    client.post("/connexion/", {"username": "inconnue@exemple.fr", "password": "faux"})
    text = json_log.getvalue()
    assert "AXES" in text
    assert "inconnue" not in text
    assert "127.0.0.1" not in text


def test_celery_task_log_lines_carry_the_task(json_log):
    from celery import shared_task

    @shared_task(name="tests.core.log_something")
    def log_something():
        logging.getLogger("tremplin.test").warning("dans une tâche")

    log_something.apply()
    [line] = lines(json_log)
    assert line["task"] == "tests.core.log_something"
    assert line["task_id"]


def test_sentry_sends_ids_but_no_personal_data(client, settings):
    import sentry_sdk
    import sentry_sdk.transport

    from core.observability import sentry_init

    events = []

    class Recorder(sentry_sdk.transport.Transport):
        def capture_envelope(self, envelope):
            events.extend(item.payload.json for item in envelope.items if item.payload.json)

    settings.ROOT_URLCONF = "tests.core.observability_urls"
    sentry_init(
        dsn="https://cle@sentry.invalid/1", environment="test", release="", traces_sample_rate=0.0, transport=Recorder
    )
    try:
        client.raise_request_exception = False
        membership = MembershipFactory(user__email="sophie.martin@exemple.fr")
        client.force_login(membership.user)
        response = client.post(
            "/test-erreur/?nom=Jeanne", {"nom": "Jeanne Exemple"}, headers={"X-Request-ID": "req-sentry-0001"}
        )
        assert response.status_code == 500
        sentry_sdk.flush()
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.get_global_scope().set_client(None)
    [event] = [e for e in events if e.get("exception")]
    assert event["tags"]["request_id"] == "req-sentry-0001"
    assert event["tags"]["organisation_id"] == str(membership.organisation_id)
    assert event["user"] == {"id": str(membership.user_id)}
    assert set(event["request"]) <= {"method", "url"}
    text = json.dumps(event, ensure_ascii=False)
    assert "Jeanne" not in text
    assert "sophie" not in text.lower()
