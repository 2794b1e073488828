"""Issue 17, end to end: a conseillère plans a rendez-vous from a dossier, the young person gets the invitation (SMS
file backend, e-mail with its .ics), the reminder goes out the day before (time frozen), the conseillère marks it
honoured and logs the entretien from it; a missed one shows on her to-do list and on the dossier."""

import datetime
import json
import re

import icalendar
import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from agenda.models import RendezVous
from messaging.models import Message
from tests.browser.support import login


pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def sms_files(folder):
    return [json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))]


def test_plan_invite_remind_honour_and_missed_on_the_todo(browser_session, base_url, demo, check, settings, tmp_path):
    from tests.agenda.factories import RendezVousFactory
    from tests.youth.factories import JeuneFactory

    settings.SMS_URL = f"file://{tmp_path}"
    acsrv, conseillere = demo.orgs["acsrv"], demo.users["conseillere@acsrv.demo"]
    jeune = JeuneFactory(
        organisation=acsrv,
        referent=conseillere,
        nom="Lefebvre",
        prenom="Inès",
        telephone="06 11 22 33 44",
        email="ines.lefebvre@example.org",
        accepte_sms=True,
        accepte_email=True,
    )
    # Monday 7 December 2026 at 9:00: she plans a rendez-vous for Wednesday 9 at 14:30.
    monday = datetime.date(2026, 12, 7)
    wednesday = monday + datetime.timedelta(days=2)
    with time_machine.travel(at(monday, 9), tick=True):
        page = browser_session.new_page()
        login(page, base_url, "conseillere@acsrv.demo")
        page.goto(f"{base_url}/jeunes/{jeune.pk}/")
        page.locator("[data-panel=rendez_vous]").get_by_role("link", name="Planifier un rendez-vous").click()
        page.get_by_label("Date").fill(wednesday.isoformat())
        page.get_by_label("Heure").fill("14:30")
        page.get_by_label("Lieu").fill("Centre social Dutemple, Valenciennes")
        page.get_by_label("Objet").fill("Préparer l'entretien d'embauche")
        page.get_by_role("button", name="Planifier").click()
        expect(page.get_by_role("status").filter(has_text="Rendez-vous planifié")).to_be_visible()
        rdv = RendezVous.objects.get(jeune=jeune)

        # the invitation: one SMS file, one e-mail with the .ics, both listed on the dossier
        (sms,) = sms_files(tmp_path)
        assert sms["to"] == "+33611223344"
        assert "mercredi 9 décembre 2026 à 14 h 30" in sms["body"]
        (email,) = [m for m in mail.outbox if jeune.email in m.to]
        (ics,) = [a for a in email.attachments if a[0].endswith(".ics")]
        event = next(iter(icalendar.Calendar.from_ical(ics[1]).walk("VEVENT")))
        assert event.decoded("dtstart") == rdv.debut
        page.goto(f"{base_url}/jeunes/{jeune.pk}/")
        messages_panel = page.locator("[data-panel=messages]")
        expect(messages_panel).to_contain_text("Invitation")
        expect(messages_panel).to_contain_text(jeune.email)
        check(page, "dossier-invitation-envoyee")
        page.context.close()

    # Tuesday 8 at 9:59 nothing is due; at 10:05 (the organisation's reminder time) the reminder goes, once.
    with time_machine.travel(at(monday + datetime.timedelta(days=1), 9, 59)):
        call_command("envoyer_rappels", verbosity=0)
    assert len(sms_files(tmp_path)) == 1
    with time_machine.travel(at(monday + datetime.timedelta(days=1), 10, 5)):
        call_command("envoyer_rappels", verbosity=0)
        call_command("envoyer_rappels", verbosity=0)
    reminders = [s for s in sms_files(tmp_path) if s["body"].startswith("Rappel")]
    assert len(reminders) == 1
    assert Message.objects.filter(rendez_vous=rdv, kind=Message.Kind.RAPPEL, channel="sms").count() == 1

    # A rendez-vous of last week another young person missed (nothing planned since), and Wednesday's honoured
    # with the entretien logged from it.
    absent = JeuneFactory(organisation=acsrv, referent=conseillere, nom="Morel", prenom="Kevin")
    RendezVousFactory(
        organisation=acsrv,
        jeune=absent,
        conseillere=conseillere,
        debut=at(monday - datetime.timedelta(days=5), 11),
        statut=RendezVous.Statut.MANQUE,
    )
    with time_machine.travel(at(wednesday, 15, 20), tick=True):
        page = browser_session.new_page()
        login(page, base_url, "conseillere@acsrv.demo")
        todo = page.get_by_test_id("todo")
        expect(todo.locator('[data-todo="rdv_manques"] [data-count]')).to_have_text("1")
        expect(todo.locator('[data-todo="rdv_aujourdhui"] [data-count]')).to_have_text("1")
        check(page, "accueil-a-faire-rdv")
        todo.get_by_role("link", name="Rendez-vous manqués à relancer").click()
        expect(page.get_by_text(re.compile("MOREL")).first).to_be_visible()
        expect(page.get_by_text(re.compile("LEFEBVRE"))).to_have_count(0)

        page.goto(f"{base_url}/jeunes/{jeune.pk}/")
        panel = page.locator("[data-panel=rendez_vous]")
        panel.get_by_role("button", name="Honoré").first.click()
        expect(page.get_by_role("status").filter(has_text="honoré")).to_be_visible()
        page.locator("[data-panel=rendez_vous]").get_by_role("link", name="Noter l'entretien").click()
        expect(page.locator("#id_date")).to_have_value(wednesday.isoformat())
        page.get_by_label("Notes").fill("Simulation d'entretien d'embauche, points forts listés.")
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.get_by_role("status").filter(has_text="Entretien enregistré")).to_be_visible()
    rdv.refresh_from_db()
    assert rdv.statut == RendezVous.Statut.HONORE
    assert rdv.entretien.notes.startswith("Simulation d'entretien")
