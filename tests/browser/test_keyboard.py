"""Keyboard only: log in, use the skip link, fill a main form (Tab, typing, Enter; no mouse)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.support import DEMO_PASSWORD, focused_element, tab_to


pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def jeune(demo):
    from tests.youth.factories import JeuneFactory, ParticipationFactory

    jeune = JeuneFactory(organisation=demo.orgs["acsrv"], nom="Clavier", prenom="Timéo")
    ParticipationFactory(jeune=jeune, operation=demo.operations["EME"], entree=True)
    return jeune


def test_login_skip_link_and_entretien_with_the_keyboard_only(page, base_url, jeune, check):
    page.goto(f"{base_url}/connexion/")
    check(page, "connexion")
    tab_to(page, lambda el: el["name"] == "username")
    page.keyboard.type("conseillere@acsrv.demo")
    page.keyboard.press("Tab")
    assert focused_element(page)["name"] == "password"
    page.keyboard.type(DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{base_url}/"
    check(page, "accueil conseillere")

    # The skip link is the first element Tab reaches on a page without autofocus, it shows when focused,
    # and Enter moves the focus to the main content.
    page.keyboard.press("Tab")
    first = focused_element(page)
    assert first["text"] == "Aller au contenu", first
    assert first["href"] == "#contenu"
    assert page.locator("a.skip-link").bounding_box()["width"] > 1  # visible on focus
    page.keyboard.press("Enter")
    assert page.url.endswith("#contenu")
    assert focused_element(page)["id"] == "contenu"
    # The next Tab lands inside <main>, past the navigation.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.getElementById('contenu').contains(document.activeElement)")

    # To the dossier through the menu and the list, then log an entretien: Tab, typing and Enter only.
    tab_to(page, lambda el: el["tag"] == "a" and el["text"] == "Jeunes")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, lambda el: el["tag"] == "a" and "CLAVIER" in el["text"])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Timéo CLAVIER")
    tab_to(page, lambda el: el["name"] == "kind")
    page.keyboard.press("ArrowDown")  # Individuel → Téléphone
    page.keyboard.press("Tab")
    assert focused_element(page)["name"] == "duree_minutes"
    page.keyboard.press("Control+A")
    page.keyboard.type("45")
    tab_to(page, lambda el: el["name"] == "notes")
    page.keyboard.type("Entretien téléphonique : relance des candidatures.")
    tab_to(page, lambda el: el["tag"] == "button" and el["text"] == "Enregistrer l'entretien")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("region", name="Chronologie")).to_contain_text("relance des candidatures")
    check(page, "dossier apres entretien au clavier")

    entretien = jeune.entretiens.get()
    assert entretien.kind == "telephone"
    assert entretien.duree_minutes == 45
    assert entretien.notes == "Entretien téléphonique : relance des candidatures."
    assert entretien.date == timezone.localdate()  # the date field's default, left as is
