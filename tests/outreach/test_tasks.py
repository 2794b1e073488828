"""Notification e-mails: content, recipients, retry policy, and one run on a real Celery worker (Redis db 14)."""

import smtplib
import time

import pytest
from django.core import mail
from django.db import connections
from django.urls import reverse

from core.models import Role
from outreach import services
from outreach.models import Orientation
from outreach.tasks import invitation_send, orientation_notify
from tests.core.factories import MembershipFactory, OrganisationFactory
from tests.outreach.factories import OrientationFactory, PartenariatFactory


BROKER = "redis://127.0.0.1:6379/14"

# pytest.mark.xdist_group("celery") built without the registry lookup (see tests/reports/test_worker.py).
XDIST_GROUP_CELERY = pytest.MarkDecorator(pytest.Mark("xdist_group", ("celery",), {}, _ispytest=True), _ispytest=True)


def test_tasks_retry_with_backoff_on_smtp_errors():
    for task in (orientation_notify, invitation_send):
        assert smtplib.SMTPException in task.autoretry_for
        assert task.retry_backoff
        assert task.max_retries == 5


@pytest.mark.django_db
def test_notification_goes_to_the_right_side_without_personal_data(reseau):
    orientation = OrientationFactory(organisation=reseau.porteur, partenaire=reseau.capep, nom="Zorglub")
    MembershipFactory(organisation=reseau.porteur, role=Role.CHARGE_ENTREPRISES)
    assert orientation_notify(orientation.pk, "recue") == 1
    message = mail.outbox[-1]
    assert set(message.to) == {reseau.conseillere.email, reseau.coordinatrice.email}
    assert reverse("outreach:orientation_detail", args=[orientation.pk]) in message.body
    assert "Zorglub" not in message.body + message.subject
    orientation_notify(orientation.pk, "acceptee")
    assert mail.outbox[-1].to == [reseau.partenaire_capep.email]
    assert reverse("portal:orientation_detail", args=[orientation.pk]) in mail.outbox[-1].body
    assert orientation_notify(0, "recue") == 0


def _reset_connections(app):
    """Drop the broker connection pools, which keep the broker URL they were created with."""
    # Only forget them: kombu keeps a process-wide producer pool per broker URL that must stay open.
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def celery_app():
    from config.celery import app

    keys = ("broker_url", "result_backend", "task_always_eager")
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(broker_url=BROKER, result_backend=BROKER, task_always_eager=False)
    _reset_connections(app)
    assert app.pool.connection.as_uri().endswith("/14")
    app.control.purge()
    yield app
    app.control.purge()
    app.conf.update(saved)
    _reset_connections(app)


@pytest.mark.celery_worker
@XDIST_GROUP_CELERY
def test_acceptance_email_is_sent_by_a_real_worker(celery_app, transactional_db, settings):
    from celery.contrib.testing.worker import start_worker

    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    porteur = OrganisationFactory()
    partenaire = OrganisationFactory(partenaire=True)
    PartenariatFactory(porteur=porteur, partenaire=partenaire)
    conseillere = MembershipFactory(organisation=porteur, role=Role.CONSEILLERE).user
    partner_user = MembershipFactory(organisation=partenaire, role=Role.PARTENAIRE).user
    orientation = OrientationFactory(organisation=porteur, partenaire=partenaire)
    mail.outbox = []
    services.orientation_accept(orientation=orientation, user=conseillere)
    time.sleep(0.5)
    assert mail.outbox == []  # queued in Redis, not run in-process
    # The default queue, named: a worker started with queues=[…] by another test keeps that selection on the app.
    queues = [celery_app.conf.task_default_queue]
    with start_worker(
        celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30, queues=queues
    ):
        deadline = time.monotonic() + 60
        while not mail.outbox and time.monotonic() < deadline:
            time.sleep(0.05)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [partner_user.email]
    assert "acceptée" in mail.outbox[0].subject
    assert Orientation.objects.get(pk=orientation.pk).statut == Orientation.Statut.ACCEPTEE
    connections.close_all()
