"""An invitation delivered by a real Celery worker through Redis (broker db 12, a private queue), not eagerly."""

import functools
import time
import uuid

import pytest
from django.db import connections

from agenda.models import RendezVous
from agenda.signals import rendez_vous_planifie
from messaging.models import Message
from messaging.tasks import message_send
from tests.messaging.conftest import sms_sent
from tests.messaging.factories import RendezVousFactory


BROKER = "redis://127.0.0.1:6379/12"

# pytest.mark.xdist_group("celery") built without the registry lookup (see tests/reports/celery_support.py).
XDIST_GROUP_CELERY = pytest.MarkDecorator(pytest.Mark("xdist_group", ("celery",), {}, _ispytest=True), _ispytest=True)
pytestmark = [pytest.mark.celery_worker, XDIST_GROUP_CELERY]


@pytest.fixture
def celery_app():
    from config.celery import app

    keys = ("broker_url", "result_backend", "task_always_eager")
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(broker_url=BROKER, result_backend=BROKER, task_always_eager=False)
    yield app
    app.conf.update(saved)


@pytest.fixture
def queue(celery_app, monkeypatch):
    """Our own queue on db 12, through a connection of our own (another session's worker must not take it)."""
    name = f"messages-test-{uuid.uuid4().hex[:12]}"
    broker = celery_app.connection_for_write(BROKER)
    monkeypatch.setattr(
        message_send, "apply_async", functools.partial(message_send.apply_async, queue=name, connection=broker)
    )
    yield name
    broker.release()


def _wait(pk, statuts, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message = Message.objects.get(pk=pk)
        if message.statut in statuts:
            return message
        time.sleep(0.05)
    raise AssertionError(f"délai dépassé : {message.statut}")


def test_the_invitation_is_delivered_by_a_real_worker(celery_app, queue, transactional_db, sms_dir, settings):
    from celery.contrib.testing.worker import start_worker

    settings.CELERY_TASK_ALWAYS_EAGER = False
    rdv = RendezVousFactory(jeune__telephone="06 12 34 56 78", jeune__accepte_email=False)
    rendez_vous_planifie.send(sender=RendezVous, rendez_vous=rdv)  # autocommit: queued at once
    message = Message.objects.get(rendez_vous=rdv)
    time.sleep(0.5)
    assert Message.objects.get(pk=message.pk).statut == "en_attente"  # in Redis, not run in-process
    assert sms_sent(sms_dir) == []
    with start_worker(
        celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30, queues=[queue]
    ):
        message = _wait(message.pk, {"envoye", "echec"}, timeout=60)
    assert (message.statut, message.tentatives) == ("envoye", 1)
    [sent] = sms_sent(sms_dir)
    assert sent["to"] == "+33612345678"
    assert sent["body"].startswith("Bonjour ")
    assert message.provider_id == sent["id"]
    connections.close_all()
