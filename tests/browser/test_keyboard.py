"""Keyboard only: log in, use the skip link, fill a main form (Tab, typing, Enter; no mouse)."""

from tests.browser.support import DEMO_PASSWORD, focused_element, tab_to


def test_login_and_skip_link_with_the_keyboard_only(page, base_url, demo, check):
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
