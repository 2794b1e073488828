"""Journey — the repérage conversion of a minor (issue 18): the birth date is asked (never guessed from the
approximate age), a nickname is not copied into the phone field, and the minors' rules (guardian, obligation de
formation) apply as on « Nouveau jeune »; typed values are kept through the refusal."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.support import login


pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def label(text):
    return re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$")


def test_conversion_of_a_minor_met_in_the_street(page, base_url, demo, check):
    from outreach.models import ContactReperage
    from tests.outreach.factories import ActionReperageFactory, ContactReperageFactory
    from youth.models import Jeune

    acsrv = demo.orgs["acsrv"]
    action = ActionReperageFactory(organisation=acsrv, date=date(2026, 11, 20), lieu="City stade du Faubourg")
    contact = ContactReperageFactory(
        action=action, prenom_ou_pseudo="Yass", sexe="H", age_approximatif=17, moyen_contact="Snap: yass59"
    )
    today = timezone.localdate()
    birth = today.replace(year=today.year - 17) - timedelta(days=40)

    login(page, base_url, "conseillere@acsrv.demo")
    page.goto(f"{base_url}/reperage/actions/{action.pk}/")
    page.get_by_role("link", name=re.compile("Créer le dossier")).click()
    expect(page.get_by_text("Âge approximatif noté au repérage : 17 ans")).to_be_visible()
    expect(page.get_by_label(label("Date de naissance"))).to_have_value("")
    expect(page.get_by_label(label("Téléphone"))).to_have_value("")
    check(page, "conversion-mineur")

    page.get_by_label(label("Nom")).fill("Benali")
    page.get_by_label(label("Prénom")).fill("Yassine")
    page.get_by_label(label("Date de naissance")).fill(birth.isoformat())
    page.get_by_label(label("Téléphone")).fill("06 51 52 53 54")
    page.get_by_role("button", name="Créer le dossier").click()
    expect(page.get_by_text("Jeune mineur : indiquez son représentant légal.")).to_be_visible()
    expect(page.get_by_text("Jeune mineur : indiquez comment l'obligation de formation est remplie.")).to_be_visible()
    expect(page.get_by_label(label("Prénom"))).to_have_value("Yassine")
    expect(page.get_by_label(label("Téléphone"))).to_have_value("06 51 52 53 54")
    assert not Jeune.objects.filter(nom="Benali").exists()
    check(page, "conversion-mineur-refus")

    page.get_by_label(re.compile(r"^\s*Représentant légal")).fill("Karima Benali")
    page.get_by_label(re.compile(r"^\s*Obligation de formation")).select_option(index=1)
    page.get_by_role("button", name="Créer le dossier").click()
    expect(page.get_by_role("heading", name=re.compile("Yassine BENALI"))).to_be_visible()
    jeune = Jeune.objects.get(nom="Benali")
    assert (jeune.date_naissance, jeune.representant_legal_nom) == (birth, "Karima Benali")
    assert jeune.obligation_formation
    assert ContactReperage.objects.get(pk=contact.pk).jeune == jeune
