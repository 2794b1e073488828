"""The Brevo transactional SMS client against a local server answering as Brevo's API does, errors included."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from celery.utils.time import get_exponential_backoff_interval

from messaging import services, sms
from messaging.models import Message
from messaging.tasks import message_send
from tests.messaging.factories import RendezVousFactory


ERRORS = {
    400: {"code": "invalid_parameter", "message": "recipient is not valid"},
    401: {"code": "unauthorized", "message": "Key not found"},
    402: {"code": "not_enough_credits", "message": "Not enough credits"},
    429: {"code": "too_many_requests", "message": "Too many requests"},
    500: {"code": "internal_error", "message": "Internal error"},
    503: None,  # a proxy in front of the API: no JSON body
}


class FakeBrevo(ThreadingHTTPServer):
    """Answers POST /v3/transactionalSMS/send with the next status of ``script`` (then 201)."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.script = []
        self.requests = []
        self.api_key = "xkeysib-test"

    @property
    def url(self):
        return f"brevo+http://{self.api_key}@127.0.0.1:{self.server_address[1]}?sender=Tremplin&timeout=2"


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):  # noqa: N802 - http.server's name
        server = self.server
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        server.requests.append(
            {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
        )
        if self.path != "/v3/transactionalSMS/send":
            return self._answer(404, {"code": "not_found", "message": "Not found"})
        if self.headers.get("api-key") != server.api_key:
            return self._answer(401, ERRORS[401])
        status = server.script.pop(0) if server.script else 201
        if status == 201:
            return self._answer(201, {"messageId": 1511882900176220 + len(server.requests)})
        return self._answer(status, ERRORS[status])

    def _answer(self, status, payload):
        data = b"<html>Service Unavailable</html>" if payload is None else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html" if payload is None else "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def brevo(settings):
    server = FakeBrevo()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_URL = server.url
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def test_the_request_is_brevos(brevo):
    assert sms.get_backend().send("+33612345678", "Bonjour Inès, à demain 14 h 30") == "1511882900176221"
    [request] = brevo.requests
    assert request["path"] == "/v3/transactionalSMS/send"
    assert request["headers"]["api-key"] == "xkeysib-test"
    assert request["headers"]["content-type"] == "application/json"
    assert request["body"] == {
        "sender": "Tremplin",
        "recipient": "33612345678",
        "content": "Bonjour Inès, à demain 14 h 30",
        "type": "transactional",
        "unicodeEnabled": True,
    }


@pytest.mark.parametrize("status", [400, 401, 402])
def test_permanent_errors(brevo, status):
    brevo.script = [status]
    with pytest.raises(sms.PermanentSmsError) as error:
        sms.get_backend().send("+33612345678", "x")
    assert str(error.value) == f"Brevo HTTP {status} {ERRORS[status]['code']} : {ERRORS[status]['message']}"


@pytest.mark.parametrize("status", [429, 500, 503])
def test_transient_errors(brevo, status):
    brevo.script = [status]
    with pytest.raises(sms.TransientSmsError):
        sms.get_backend().send("+33612345678", "x")


def test_a_wrong_key_is_401(brevo, settings):
    settings.SMS_URL = brevo.url.replace("xkeysib-test", "mauvaise")
    with pytest.raises(sms.PermanentSmsError, match="Brevo HTTP 401 unauthorized : Key not found"):
        sms.get_backend().send("+33612345678", "x")


def test_the_urls():
    backend = sms.backend_from_url("brevo://xkeysib-abc@api.brevo.com?sender=MaStructure")
    assert (backend.url, backend.api_key, backend.sender) == (
        "https://api.brevo.com/v3/transactionalSMS/send",
        "xkeysib-abc",
        "MaStructure",
    )
    assert isinstance(sms.backend_from_url("console://"), sms.ConsoleBackend)
    assert sms.backend_from_url("file:///tmp/sms").folder.as_posix() == "/tmp/sms"
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        sms.backend_from_url("ovh://x")
    with pytest.raises(ImproperlyConfigured):
        sms.backend_from_url("brevo://api.brevo.com")


def test_the_retry_policy():
    assert message_send.autoretry_for == (services.TransientDeliveryError,)
    assert message_send.max_retries == 5
    assert message_send.retry_backoff == 30
    assert message_send.retry_backoff_max == 1800
    assert message_send.retry_jitter is True
    assert message_send.acks_late is True
    # Without jitter, the waits are 30 s, 1, 2, 4 and 8 minutes (jitter draws each below its bound).
    waits = [get_exponential_backoff_interval(30, n, 1800, full_jitter=False) for n in range(5)]
    assert waits == [30, 60, 120, 240, 480]


def _message(brevo_rdv):
    [envoi] = [e for e in services._envois(brevo_rdv, "rappel", "2026-12-08") if e.channel == "sms"]
    return services._create(envoi)


@pytest.mark.django_db
def test_transient_errors_are_retried_and_each_attempt_recorded(brevo, eager_retries):
    rdv = RendezVousFactory(jeune__accepte_email=False)
    message = _message(rdv)
    brevo.script = [429, 503, 500]
    assert message_send.delay(rdv.organisation_id, message.pk).get() == "envoye"
    message = Message.objects.get(pk=message.pk)
    assert (message.statut, message.tentatives, message.provider_id) == ("envoye", 4, "1511882900176224")
    lines = message.erreur.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("Tentative 1 (")
    assert lines[0].endswith("Brevo HTTP 429 too_many_requests : Too many requests")
    assert lines[1].startswith("Tentative 2 (")
    assert lines[1].endswith("Brevo HTTP 503")
    assert lines[2].startswith("Tentative 3 (")
    assert lines[2].endswith("Brevo HTTP 500 internal_error : Internal error")
    assert len(brevo.requests) == 4


@pytest.mark.django_db
def test_retries_give_up_after_the_last_one(brevo, eager_retries):
    rdv = RendezVousFactory(jeune__accepte_email=False)
    message = _message(rdv)
    brevo.script = [503] * 10
    assert message_send.delay(rdv.organisation_id, message.pk).get() == "echec"
    message = Message.objects.get(pk=message.pk)
    assert (message.statut, message.tentatives) == ("echec", 6)
    assert message.erreur.count("Brevo HTTP 503") == 6
    assert len(brevo.requests) == 6


@pytest.mark.django_db
@pytest.mark.parametrize("status", [400, 401, 402])
def test_permanent_errors_fail_at_once(brevo, eager_retries, status):
    rdv = RendezVousFactory(jeune__accepte_email=False)
    message = _message(rdv)
    brevo.script = [status]
    assert message_send.delay(rdv.organisation_id, message.pk).get() == "echec"
    message = Message.objects.get(pk=message.pk)
    assert (message.statut, message.tentatives) == ("echec", 1)
    assert f"Brevo HTTP {status} {ERRORS[status]['code']}" in message.erreur
    assert len(brevo.requests) == 1
    # Delivered or failed, a message is never attempted again.
    message_send.delay(rdv.organisation_id, message.pk)
    assert len(brevo.requests) == 1
