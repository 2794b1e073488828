"""The invitation at creation, the new one after a change, the cancellation: channels, consent, texts, .ics."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from icalendar import Calendar

from agenda.models import RendezVous
from agenda.signals import rendez_vous_modifie, rendez_vous_statut_change
from messaging import services, texts
from messaging.models import Message
from tests.core.factories import OrganisationFactory
from tests.messaging.conftest import sms_sent
from tests.messaging.factories import RendezVousFactory
from tests.youth.factories import JeuneFactory


pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NOW = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=PARIS)
DEBUT = datetime.datetime(2026, 12, 8, 14, 30, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _organisation(**kwargs):
    return OrganisationFactory(nom="Mission Avenir", telephone="0327000000", **kwargs)


def test_invitation_by_sms_and_email_with_an_ics(sms_dir, plan):
    jeune = JeuneFactory(
        organisation=_organisation(),
        prenom="Inès",
        telephone="06 12 34 56 78",
        accepte_sms=True,
        accepte_email=True,
        email="ines@exemple.fr",
    )
    rdv = plan(RendezVousFactory(jeune=jeune, debut=DEBUT, duree_minutes=45))

    [sent] = sms_sent(sms_dir)
    assert sent["to"] == "+33612345678"
    assert sent["body"] == (
        "Bonjour Inès, vous avez rendez-vous avec Nadia Benali (Mission Avenir) le mardi 8 décembre 2026 à 14 h 30, "
        "3 rue de la Gare, Denain. En cas d'empêchement, appelez le 03 27 00 00 00."
    )
    [email] = mail.outbox
    assert email.to == ["ines@exemple.fr"]
    assert email.subject == "Votre rendez-vous du mardi 8 décembre 2026 à 14 h 30"
    [(name, content, mimetype)] = email.attachments
    assert name == "rendez-vous.ics"
    assert mimetype.startswith("text/calendar")
    [event] = Calendar.from_ical(content).walk("VEVENT")
    assert event.decoded("dtstart") == DEBUT
    assert event.decoded("dtend") == DEBUT + datetime.timedelta(minutes=45)
    assert str(event["location"]) == "3 rue de la Gare, Denain"
    assert "Nadia Benali" in str(event["summary"])

    rows = Message.objects.filter(rendez_vous=rdv).order_by("channel")
    assert [(m.channel, m.destinataire, m.kind, m.statut, m.tentatives) for m in rows] == [
        ("email", "jeune", "invitation", "envoye", 1),
        ("sms", "jeune", "invitation", "envoye", 1),
    ]
    assert all(m.envoye_le == NOW for m in rows)
    assert rows.get(channel="sms").adresse == "+33612345678"


def test_consent_is_respected(sms_dir, plan):
    no_sms = JeuneFactory(accepte_sms=False, accepte_email=True, email="a@exemple.fr")
    plan(RendezVousFactory(jeune=no_sms, debut=DEBUT))
    assert sms_sent(sms_dir) == []
    assert len(mail.outbox) == 1

    no_email = JeuneFactory(accepte_sms=True, accepte_email=False, email="b@exemple.fr")
    plan(RendezVousFactory(jeune=no_email, debut=DEBUT))
    assert len(sms_sent(sms_dir)) == 1
    assert len(mail.outbox) == 1

    nothing = JeuneFactory(accepte_sms=False, accepte_email=False, email="c@exemple.fr")
    rdv = plan(RendezVousFactory(jeune=nothing, debut=DEBUT))
    assert not Message.objects.filter(rendez_vous=rdv).exists()
    assert len(sms_sent(sms_dir)) == 1
    assert len(mail.outbox) == 1


def test_a_landline_gets_no_sms(sms_dir, plan):
    jeune = JeuneFactory(accepte_sms=True, accepte_email=False, telephone="03 27 11 22 33")
    rdv = plan(RendezVousFactory(jeune=jeune, debut=DEBUT))
    assert sms_sent(sms_dir) == []
    assert not Message.objects.filter(rendez_vous=rdv).exists()


def test_the_guardian_of_a_minor_when_chosen(sms_dir, plan):
    def mineur(**kwargs):
        return JeuneFactory(
            mineur=True,
            prenom="Lou",
            nom="Martin",
            telephone="06 12 34 56 78",
            accepte_sms=True,
            accepte_email=True,
            email="",
            representant_legal_telephone="07 81 22 33 44",
            representant_legal_email="parent@exemple.fr",
            **kwargs,
        )

    rdv = plan(RendezVousFactory(jeune=mineur(), debut=DEBUT, prevenir_representant=True))
    rows = {(m.destinataire, m.channel): m for m in Message.objects.filter(rendez_vous=rdv)}
    assert set(rows) == {("jeune", "sms"), ("representant", "sms"), ("representant", "email")}
    assert rows["representant", "sms"].adresse == "+33781223344"
    assert rows["representant", "sms"].texte.startswith("Message pour le représentant légal de Lou Martin.")
    assert mail.outbox[0].to == ["parent@exemple.fr"]
    assert {s["to"] for s in sms_sent(sms_dir)} == {"+33612345678", "+33781223344"}

    not_chosen = plan(RendezVousFactory(jeune=mineur(), debut=DEBUT, prevenir_representant=False))
    assert {m.destinataire for m in Message.objects.filter(rendez_vous=not_chosen)} == {"jeune"}

    adult = JeuneFactory(accepte_sms=True, representant_legal_telephone="07 81 22 33 44")
    rdv = plan(RendezVousFactory(jeune=adult, debut=DEBUT, prevenir_representant=True))
    assert {m.destinataire for m in Message.objects.filter(rendez_vous=rdv)} == {"jeune"}


def test_texts_replace_only_known_placeholders():
    rdv = RendezVousFactory(
        jeune__prenom="Sam", debut=DEBUT, organisation__texte_invitation="{prenom} {jeune.__class__} {0} {heure}{"
    )
    rdv.organisation.texte_invitation = "{prenom} {jeune.__class__} {0} {heure} {conseillere.password}{"
    _sujet, texte = texts.message_text(rdv, "invitation")
    assert texte == "Sam {jeune.__class__} {0} 14 h 30 {conseillere.password}{"


def test_dates_and_times_in_french():
    assert texts.date_fr(datetime.date(2026, 12, 8)) == "mardi 8 décembre 2026"
    assert texts.date_fr(datetime.date(2027, 2, 1)) == "lundi 1er février 2027"
    assert texts.heure_fr(datetime.time(14, 30)) == "14 h 30"
    assert texts.heure_fr(datetime.time(9, 0)) == "9 h"
    assert texts.heure_fr(datetime.time(9, 5)) == "9 h 05"


def test_no_invitation_for_a_past_or_cancelled_rendez_vous(sms_dir, plan):
    plan(RendezVousFactory(debut=NOW - datetime.timedelta(hours=1)))
    plan(RendezVousFactory(debut=DEBUT, statut=RendezVous.Statut.ANNULE))
    assert sms_sent(sms_dir) == []
    assert mail.outbox == []
    assert not Message.objects.exists()


def test_a_failure_never_blocks_and_is_recorded(settings, plan, eager_retries):
    settings.SMS_URL = "brevo+http://cle@127.0.0.1:9?sender=Tremplin&timeout=1"  # nobody listens on port 9
    settings.EMAIL_BACKEND = "tests.messaging.test_invitations.BrokenEmailBackend"
    rdv = plan(RendezVousFactory(debut=DEBUT))
    assert RendezVous.objects.filter(pk=rdv.pk).exists()
    sms_row = Message.objects.get(rendez_vous=rdv, channel="sms")
    assert sms_row.statut == "echec"
    assert sms_row.tentatives == 6  # the first try and five retries (eager: no wait between them)
    assert sms_row.erreur.count("Brevo injoignable") == 6
    email_row = Message.objects.get(rendez_vous=rdv, channel="email")
    assert (email_row.statut, email_row.tentatives) == ("echec", 1)
    assert "SMTP : adresse refusée" in email_row.erreur


class BrokenEmailBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        import smtplib

        raise smtplib.SMTPRecipientsRefused({"x@exemple.fr": (550, b"no such user")})


def test_a_change_of_time_sends_a_new_invitation_and_the_cancellation_follows(
    sms_dir, plan, django_capture_on_commit_callbacks
):
    rdv = plan(RendezVousFactory(debut=DEBUT))
    assert len(sms_sent(sms_dir)) == 1
    assert len(mail.outbox) == 1

    with django_capture_on_commit_callbacks(execute=True):
        rendez_vous_modifie.send(sender=RendezVous, rendez_vous=rdv, changes=["objet"])
    assert len(sms_sent(sms_dir)) == 1  # the subject of the meeting changed: nothing to tell

    with time_machine.travel(NOW + datetime.timedelta(minutes=5), tick=False):
        rdv.debut = DEBUT + datetime.timedelta(days=1)
        rdv.save()
        with django_capture_on_commit_callbacks(execute=True):
            rendez_vous_modifie.send(sender=RendezVous, rendez_vous=rdv, changes=["debut"])
    moved = sms_sent(sms_dir)[-1]["body"]
    assert moved.startswith("Rendez-vous modifié. Bonjour")
    assert "mercredi 9 décembre 2026 à 14 h 30" in moved
    assert len(mail.outbox) == 2

    with time_machine.travel(NOW + datetime.timedelta(minutes=10), tick=False):
        rdv.statut = RendezVous.Statut.ANNULE
        rdv.save()
        with django_capture_on_commit_callbacks(execute=True):
            rendez_vous_statut_change.send(sender=RendezVous, rendez_vous=rdv, ancien="planifie", nouveau="annule")
    assert "est annulé" in sms_sent(sms_dir)[-1]["body"]
    cancel = mail.outbox[-1]
    assert "annulé" in cancel.subject
    [event] = Calendar.from_ical(cancel.attachments[0][1]).walk("VEVENT")
    assert str(event["status"]) == "CANCELLED"
    kinds = sorted(Message.objects.filter(rendez_vous=rdv).values_list("kind", "channel"))
    assert kinds == [
        ("annulation", "email"),
        ("annulation", "sms"),
        ("invitation", "email"),
        ("invitation", "email"),
        ("invitation", "sms"),
        ("invitation", "sms"),
    ]


def test_no_cancellation_when_no_invitation_went_out(sms_dir, django_capture_on_commit_callbacks):
    rdv = RendezVousFactory(debut=DEBUT, statut=RendezVous.Statut.ANNULE)  # never planned through the signal
    with django_capture_on_commit_callbacks(execute=True):
        rendez_vous_statut_change.send(sender=RendezVous, rendez_vous=rdv, ancien="planifie", nouveau="annule")
    assert sms_sent(sms_dir) == []
    assert not Message.objects.exists()


def test_a_pending_invitation_of_a_cancelled_rendez_vous_does_not_go(sms_dir):
    rdv = RendezVousFactory(debut=DEBUT)
    [envoi, *_] = services._envois(rdv, "invitation")
    message = services._create(envoi)  # queued on commit: never run here
    rdv.statut = RendezVous.Statut.ANNULE
    rdv.save()
    services.message_deliver(organisation_id=rdv.organisation_id, message_id=message.pk)
    message.refresh_from_db()
    assert message.statut == "echec"
    assert "annulé" in message.erreur
    assert sms_sent(sms_dir) == []


def test_a_bug_while_preparing_never_reaches_the_conseillere(monkeypatch, plan, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("texte illisible")

    monkeypatch.setattr(texts, "message_text", broken)
    rdv = plan(RendezVousFactory(debut=DEBUT))  # does not raise
    assert RendezVous.objects.filter(pk=rdv.pk).exists()
    assert not Message.objects.exists()
    assert f"Messages du rendez-vous {rdv.pk} non préparés" in caplog.text


def test_the_console_backend_prints_the_sms(settings, plan, capsys):
    settings.SMS_URL = "console://?sender=Avenir"
    plan(RendezVousFactory(debut=DEBUT, jeune__telephone="06 12 34 56 78", jeune__accepte_email=False))
    out = capsys.readouterr().out
    assert "SMS de Avenir à +33612345678 :" in out
    assert "mardi 8 décembre 2026 à 14 h 30" in out
    assert Message.objects.get().statut == "envoye"
