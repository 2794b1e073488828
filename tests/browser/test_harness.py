"""The checks the journeys rely on catch what they are meant to catch (no check that cannot fail)."""

import pytest

from tests.browser.support import (
    AccessibilityError,
    PageChecker,
    assert_accessible,
    assert_no_horizontal_scroll,
    run_axe,
)


pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


BROKEN_PAGE = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Cassée</title></head>
<body><main><h1>Formulaire cassé</h1><form><input type="text" name="nom"></form>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="10" height="10"></main></body></html>"""

# The checks on set_content pages need no database, but pytest-django runs tests without a database last, after
# the live-server journeys; other folders' journeys may keep a Playwright driver until the end of the session
# (tests/workshops), and a second one cannot start. The django_db mark runs them first, with the ordinary tests.
run_first = pytest.mark.django_db

CLEAN_PAGE = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Propre</title></head>
<body><main><h1>Formulaire</h1><form><label for="nom">Nom</label><input id="nom" type="text" name="nom">
<button type="submit">Envoyer</button></form></main></body></html>"""


@run_first
def test_axe_reports_a_missing_label_and_alt(blank_page):
    page = blank_page
    page.set_content(BROKEN_PAGE)
    ids = {violation["id"] for violation in run_axe(page)}
    assert {"label", "image-alt"} <= ids
    with pytest.raises(AccessibilityError) as excinfo:
        assert_accessible(page, "page cassée")
    message = str(excinfo.value)
    assert "label (critical)" in message
    assert "input" in message  # the failing node's CSS target is named


@run_first
def test_axe_accepts_a_correct_page(blank_page):
    page = blank_page
    page.set_content(CLEAN_PAGE)
    assert run_axe(page) == []


@run_first
def test_horizontal_scroll_is_caught_at_360px(blank_page):
    page = blank_page
    page.set_viewport_size({"width": 360, "height": 780})
    page.set_content(CLEAN_PAGE.replace("<h1>", '<h1 class="large" style="width:900px">'))
    with pytest.raises(AssertionError, match=r"défilement horizontal à 360 px.*h1\.large"):
        assert_no_horizontal_scroll(page)
    page.set_content(CLEAN_PAGE)
    assert_no_horizontal_scroll(page)


@run_first
def test_hidden_text_escaping_a_scrolling_table_is_caught(blank_page):
    """An absolutely positioned .visually-hidden span is not clipped by a static overflow container."""
    table = (
        '<div style="overflow-x:auto{}"><table style="width:900px"><tr><th>Indicateur</th>'
        '<th style="text-align:right"><span style="position:absolute;width:1px;height:1px;overflow:hidden" '
        'class="visually-hidden">Progression</span></th></tr></table></div>'
    )
    page = blank_page
    page.set_viewport_size({"width": 360, "height": 780})
    page.set_content(CLEAN_PAGE.replace("</main>", table.format("") + "</main>"))
    with pytest.raises(AssertionError, match=r"span\.visually-hidden"):
        assert_no_horizontal_scroll(page)
    page.set_content(CLEAN_PAGE.replace("</main>", table.format(";position:relative") + "</main>"))
    assert_no_horizontal_scroll(page)


@run_first
def test_a_known_overflow_must_still_exist(blank_page):
    """An exemption (known_overflow) fails once the page is fixed, so it cannot outlive the defect."""
    page = blank_page
    page.set_content(CLEAN_PAGE)
    checker = PageChecker(test_name="harnais-exemption")
    with pytest.raises(AssertionError, match="est corrigé"):
        checker(page, "page corrigée", axe=False, known_overflow="défaut signalé")
    page.set_content(CLEAN_PAGE.replace("<h1>", '<h1 style="width:900px">'))
    checker(page, "page encore fautive", axe=False, known_overflow="défaut signalé")


def test_csp_violations_and_script_errors_fail_the_journey(browser_session, base_url):
    """The journeys run under the app's real CSP: an inline script is refused and reported."""
    page = browser_session.new_page()
    page.goto(f"{base_url}/connexion/")
    page.evaluate(
        """() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1';
                   document.body.appendChild(s); }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.injected") is None
    errors = browser_session.unexpected_errors()
    assert any("Content Security Policy" in e for e in errors), errors
    browser_session.errors.clear()  # proven: do not fail this test's teardown
