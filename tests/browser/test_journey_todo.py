"""The conseillère's to-do and the bell: the « sans contact » badge leads to exactly that many young people; an
unread notification shows on the bell, opening it follows its link and marks it read."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.support import login


pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def caseload(demo):
    from notifications.services import notifier
    from tests.youth.factories import JeuneFactory

    acsrv, conseillere = demo.orgs["acsrv"], demo.users["conseillere@acsrv.demo"]
    today = timezone.localdate()
    for nom, days in (("Lemaire", 45), ("Dufour", 31), ("Petit", 3)):
        JeuneFactory(organisation=acsrv, referent=conseillere, nom=nom, date_dernier_contact=today - timedelta(days))
    jeune = JeuneFactory(organisation=acsrv, referent=conseillere, nom="Roussel", prenom="Inès")
    notifier(acsrv, [conseillere], "rendez_vous", "Rendez-vous manqué : Inès R.", f"/jeunes/{jeune.pk}/")
    return jeune


def test_todo_link_and_bell(browser_session, base_url, caseload, check):
    page = browser_session.new_page()
    login(page, base_url, "conseillere@acsrv.demo")
    todo = page.get_by_test_id("todo")
    expect(todo).to_be_visible()
    expect(todo.locator('[data-todo="sans_contact"] [data-count]')).to_have_text("2")
    check(page, "accueil a faire")

    page.get_by_role("link", name="2 sans contact depuis 30 jours").click()
    expect(page.get_by_text("2 jeunes", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("LEMAIRE"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("PETIT"))).to_have_count(0)
    check(page, "jeunes sans contact")

    bell = page.get_by_test_id("notifications-bell")
    expect(page.get_by_test_id("notifications-unread")).to_contain_text("1")
    bell.click()
    check(page, "notifications")
    page.get_by_role("link", name=re.compile("Rendez-vous manqué : Inès R.")).click()
    expect(page).to_have_url(f"{base_url}/jeunes/{caseload.pk}/")
    expect(page.get_by_test_id("notifications-unread")).to_have_count(0)
    page.goto(f"{base_url}/notifications/")
    expect(page.get_by_role("link", name="Rendez-vous manqué : Inès R.", exact=True)).to_be_visible()  # read now
