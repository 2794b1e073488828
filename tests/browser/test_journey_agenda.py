"""The agenda journey (issue 17): a conseillère plans a rendez-vous from a dossier, marks it honoured and logs the
entretien from it, pre-filled. Then her agenda at 360 and 1280 px (axe, no horizontal scroll, screenshots)."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from agenda.models import RendezVous
from tests.browser.support import login


pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
REFUSED_FORM = r"status of 422"


def _at(hour, minute):
    """Today at that time (the session lasts an hour: the journey travels 40 minutes)."""
    today = timezone.localdate()
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time(hour, minute)))


def test_plan_honour_and_log_the_entretien(page, browser_session, base_url, demo, check):
    from tests.workshops.factories import AtelierFactory, SeanceFactory
    from tests.youth.factories import JeuneFactory

    acsrv = demo.orgs["acsrv"]
    conseillere = demo.users["conseillere@acsrv.demo"]
    jeune = JeuneFactory(organisation=acsrv, nom="Delcourt", prenom="Maëlys", referent=conseillere)
    atelier = AtelierFactory(organisation=acsrv, operation=demo.operations["EME"], intitule="CV et lettre")
    SeanceFactory(
        atelier=atelier,
        date=timezone.localdate(),
        heure_debut=datetime.time(14),
        heure_fin=datetime.time(16, 30),
        animatrice=conseillere,
    )
    with time_machine.travel(_at(8, 30), tick=True):
        login(page, base_url, "conseillere@acsrv.demo")
        page.goto(f"{base_url}/jeunes/{jeune.pk}/")
        panel = page.locator("[data-panel=rendez_vous]")
        expect(panel.get_by_text("Aucun rendez-vous à venir.")).to_be_visible()
        panel.get_by_role("link", name="Planifier un rendez-vous").click()
        expect(page.locator(f'input[type="radio"][name="jeune"][value="{jeune.pk}"]')).to_be_checked()  # preselected
        page.get_by_label("Date").fill(timezone.localdate().isoformat())
        page.get_by_label("Heure").fill("09:00")
        page.get_by_label("Durée (minutes)").fill("50")
        page.get_by_label("Modalité").select_option("telephone")
        page.get_by_label("Lieu").fill("06 12 34 56 78")
        page.get_by_label("Objet").fill("Point CV")
        check(page, "rendez-vous-form")
        page.get_by_role("button", name="Planifier").click()
        expect(page.get_by_role("status").filter(has_text="Rendez-vous planifié")).to_be_visible()
        rdv = RendezVous.objects.get()
        assert rdv.planifie_depuis is None
        assert rdv.conseillere == conseillere

        page.goto(f"{base_url}/agenda/")
        expect(page.get_by_role("link", name="Maëlys DELCOURT")).to_be_visible()
        expect(page.get_by_role("link", name="Atelier : CV et lettre")).to_be_visible()
        check(page, "agenda-semaine")
        page.get_by_role("link", name="Jour", exact=True).click()
        check(page, "agenda-jour")

    with time_machine.travel(_at(9, 10), tick=True):
        page.goto(f"{base_url}/jeunes/{jeune.pk}/")
        panel = page.locator("[data-panel=rendez_vous]")
        panel.get_by_role("button", name="Honoré").click()
        expect(page.get_by_role("status").filter(has_text="honoré")).to_be_visible()
        page.locator("[data-panel=rendez_vous]").get_by_role("link", name="Noter l'entretien").click()
        expect(page.locator("#id_date")).to_have_value(timezone.localdate().isoformat())
        expect(page.get_by_label("Durée (minutes)")).to_have_value("50")
        expect(page.get_by_label("Type d'entretien")).to_have_value("telephone")
        page.get_by_label("Notes").fill("CV repris ensemble, deux offres repérées.")
        check(page, "entretien-depuis-rdv")
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.get_by_role("status").filter(has_text="Entretien enregistré")).to_be_visible()
        rdv.refresh_from_db()
        assert rdv.statut == RendezVous.Statut.HONORE
        assert rdv.entretien.notes == "CV repris ensemble, deux offres repérées."
        assert rdv.entretien.duree_minutes == 50
