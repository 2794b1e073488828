"""The reminder the day before: at the organisation's time and not before, once, never for a cancelled or past one."""

import datetime
import threading
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection

from agenda.models import RendezVous
from messaging import services
from messaging.models import Message
from messaging.tasks import rappels_send
from tests.core.factories import OrganisationFactory
from tests.messaging.conftest import sms_sent
from tests.messaging.factories import RendezVousFactory
from tests.youth.factories import JeuneFactory


PARIS = ZoneInfo("Europe/Paris")
DEBUT = datetime.datetime(2026, 12, 8, 14, 30, tzinfo=PARIS)  # mardi
VEILLE = datetime.date(2026, 12, 7)


def at(hour, minute=0, day=VEILLE):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)


def _rdv(nom="Mission Avenir", debut=DEBUT, **kwargs):
    with time_machine.travel(at(9, day=VEILLE - datetime.timedelta(days=2)), tick=False):  # planned 2 days before
        return _make_rdv(nom, debut, **kwargs)


def _make_rdv(nom, debut, **kwargs):
    organisation = OrganisationFactory(nom=nom, rappel_heure=datetime.time(10, 0))
    jeune = JeuneFactory(
        organisation=organisation,
        prenom="Inès",
        telephone="06 12 34 56 78",
        accepte_sms=True,
        accepte_email=True,
        email="ines@exemple.fr",
    )
    return RendezVousFactory(jeune=jeune, debut=debut, **kwargs)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


@pytest.mark.django_db
def test_the_reminder_goes_the_day_before_at_the_configured_time_and_not_before(sms_dir, on_commit):
    rdv = _rdv()
    with time_machine.travel(at(9, 59), tick=False):
        assert services.envoyer_rappels() == []
    with time_machine.travel(at(10, 0), tick=False), on_commit(execute=True):
        envois = services.envoyer_rappels()
    assert sorted((e.channel, e.destinataire) for e in envois) == [("email", "jeune"), ("sms", "jeune")]
    [sms] = sms_sent(sms_dir)
    assert sms["to"] == "+33612345678"
    assert sms["body"] == (
        "Rappel : rendez-vous demain mardi 8 décembre 2026 à 14 h 30 avec Nadia Benali (Mission Avenir), "
        "3 rue de la Gare, Denain. Empêché·e ? Appelez le standard de Mission Avenir."
    )
    [email] = mail.outbox
    assert email.subject == "Rappel : votre rendez-vous demain à 14 h 30"
    assert email.attachments == []
    rows = Message.objects.filter(rendez_vous=rdv, kind="rappel")
    assert {(m.channel, m.statut) for m in rows} == {("sms", "envoye"), ("email", "envoye")}
    assert rows.get(channel="sms").dedupe_key == f"rdv:{rdv.pk}:rappel:2026-12-08:sms:jeune"

    with time_machine.travel(at(10, 10), tick=False):  # beat again 10 minutes later
        assert services.envoyer_rappels() == []
    with time_machine.travel(at(23, 50), tick=False):
        assert services.envoyer_rappels() == []
    assert len(sms_sent(sms_dir)) == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_each_organisation_its_own_time(sms_dir):
    early = _rdv()
    late = _rdv(nom="Tôt ou Tard")
    late.organisation.rappel_heure = datetime.time(18, 30)
    late.organisation.save()
    with time_machine.travel(at(12), tick=False):
        assert {e.rendez_vous.pk for e in services.envoyer_rappels()} == {early.pk}
    with time_machine.travel(at(18, 30), tick=False):
        assert {e.rendez_vous.pk for e in services.envoyer_rappels()} == {late.pk}


@pytest.mark.django_db
def test_the_day_is_the_day_before_in_paris(sms_dir):
    # 23 h 30 in Paris on the 7th is 22 h 30 UTC: tomorrow is the 8th in Paris. A rendez-vous on the 9th at 0 h 15
    # (Paris), the 8th at 23 h 15 UTC, is not tomorrow.
    rdv = _rdv()
    day_after = _rdv(nom="Autre", debut=datetime.datetime(2026, 12, 9, 0, 15, tzinfo=PARIS))
    with time_machine.travel(at(23, 30), tick=False):
        found = {e.rendez_vous.pk for e in services.envoyer_rappels()}
    assert found == {rdv.pk}
    assert day_after.pk not in found


@pytest.mark.django_db
@pytest.mark.parametrize(
    "statut", [RendezVous.Statut.ANNULE, RendezVous.Statut.EXCUSE, RendezVous.Statut.HONORE, RendezVous.Statut.MANQUE]
)
def test_no_reminder_unless_planned(sms_dir, statut):
    _rdv(statut=statut)
    with time_machine.travel(at(11), tick=False):
        assert services.envoyer_rappels() == []
    assert sms_sent(sms_dir) == []
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_no_reminder_for_a_past_or_archived_one_nor_without_consent(sms_dir):
    _rdv(debut=at(8))  # today: past, not tomorrow
    archived = _rdv(nom="Archives")
    archived.jeune.archived_at = at(8)
    archived.jeune.save()
    silent = _rdv(nom="Silence")
    silent.jeune.accepte_sms = silent.jeune.accepte_email = False
    silent.jeune.save()
    with time_machine.travel(at(11), tick=False):
        assert services.envoyer_rappels() == []
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_a_reminder_cancelled_after_queueing_does_not_go(sms_dir):
    rdv = _rdv()
    with time_machine.travel(at(11), tick=False):
        [envoi, *_] = services.rappels_dus()
        message = services._create(envoi)  # queued on commit: not run in this test transaction
        RendezVous.objects.filter(pk=rdv.pk).update(statut=RendezVous.Statut.ANNULE)
        services.message_deliver(organisation_id=rdv.organisation_id, message_id=message.pk)
    message.refresh_from_db()
    assert message.statut == "echec"
    assert message.erreur == "Non envoyé : le rendez-vous est « annulé »."
    assert sms_sent(sms_dir) == []


@pytest.mark.django_db
def test_dry_run_lists_and_writes_nothing(sms_dir, on_commit):
    rdv = _rdv()
    out = StringIO()
    with time_machine.travel(at(11), tick=False):
        call_command("envoyer_rappels", "--dry-run", stdout=out)
    text = out.getvalue()
    assert f"rendez-vous n° {rdv.pk} du 08/12/2026 à 14:30 — Rappel (la veille) par SMS au jeune" in text
    assert "2 rappel(s) partiraient." in text
    assert "+33612345678" not in text  # no personal data on the console
    assert not Message.objects.exists()
    assert sms_sent(sms_dir) == []
    assert mail.outbox == []

    out = StringIO()
    with time_machine.travel(at(11), tick=False):
        with on_commit(execute=True):
            call_command("envoyer_rappels", stdout=out)
        assert "2 rappel(s) envoyés." in out.getvalue()
        call_command("envoyer_rappels", "--dry-run", stdout=(out := StringIO()))
    assert "0 rappel(s) partiraient." in out.getvalue()
    assert len(sms_sent(sms_dir)) == 1


@pytest.mark.django_db
def test_beat_runs_the_reminders_every_ten_minutes(settings, sms_dir, on_commit):
    entry = settings.CELERY_BEAT_SCHEDULE["rappels-de-rendez-vous"]
    assert entry["task"] == "messaging.tasks.rappels_send" == rappels_send.name
    assert entry["schedule"] == 600.0
    _rdv()
    with time_machine.travel(at(10, 5), tick=False), on_commit(execute=True):
        assert rappels_send.delay().get() == 2
    assert len(sms_sent(sms_dir)) == 1


@pytest.mark.django_db(transaction=True)
def test_no_duplicate_when_the_command_and_beat_run_together(sms_dir):
    """Two runs at the same moment on PostgreSQL (the command and the beat task, each in its own connection):
    the unique dedupe key lets one insert each message; the other gets nothing to send."""
    rdvs = [_rdv(nom=f"Structure {i}") for i in range(3)]
    barrier = threading.Barrier(2)
    results, errors = {}, []

    def run(name, function):
        try:
            with time_machine.travel(at(10, 0), tick=False):
                barrier.wait()
                results[name] = function()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=("beat", rappels_send)),
        threading.Thread(target=run, args=("command", lambda: len(services.envoyer_rappels()))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert results["beat"] + results["command"] == 6  # 3 rendez-vous × (SMS + e-mail), split between the two
    assert Message.objects.filter(kind="rappel").count() == 6
    assert len(sms_sent(sms_dir)) == 3
    assert len(mail.outbox) == 3
    assert sorted(s["to"] for s in sms_sent(sms_dir)) == ["+33612345678"] * 3
    assert {m.rendez_vous_id for m in Message.objects.all()} == {r.pk for r in rdvs}


@pytest.mark.django_db
def test_no_reminder_on_top_of_an_invitation_sent_after_the_reminder_time(sms_dir):
    before = _rdv()
    with time_machine.travel(at(9, 30), tick=False):
        same_morning = _make_rdv("Matin", DEBUT)
    with time_machine.travel(at(10, 30), tick=False):
        late = _make_rdv("Tard", DEBUT)
    with time_machine.travel(at(11), tick=False):
        found = {e.rendez_vous.pk for e in services.envoyer_rappels(dry_run=True)}
    assert found == {before.pk, same_morning.pk}
    assert late.pk not in found
