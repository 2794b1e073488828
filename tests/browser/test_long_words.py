"""A 3 000-character word typed in notes must not widen the dossier at 360 px (it made the page 30 700 px wide)."""

import pytest

from tests.browser.support import MOBILE_WIDTH, horizontal_overflow, login


pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_a_very_long_word_in_notes_wraps_at_phone_width(browser_session, base_url, demo):
    from tests.youth.factories import EntretienFactory, JeuneFactory

    conseillere = demo.users["conseillere@acsrv.demo"]
    jeune = JeuneFactory(organisation=demo.orgs["acsrv"], referent=conseillere)
    EntretienFactory(jeune=jeune, auteur=conseillere, notes="https://exemple.fr/" + "a" * 3000)
    page = browser_session.new_page()
    page.set_viewport_size({"width": MOBILE_WIDTH, "height": 800})
    login(page, base_url, "conseillere@acsrv.demo")
    page.goto(f"{base_url}/jeunes/{jeune.pk}/")
    scroll_width, width = horizontal_overflow(page)
    assert scroll_width <= width + 2, f"page {scroll_width} px wide at {width} px"
    page.context.close()
