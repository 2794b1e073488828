"""Each role's main navigation, page by page: accessible (axe WCAG 2.1 A/AA), usable at 360 px, no JS/CSP error.

The pages are found by following the links of the "Navigation principale" landmark, so a page added to the
menu is covered without changing this test.
"""

import pytest

from tests.browser.support import login


pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


ACCOUNTS = [
    "conseillere@acsrv.demo",
    "coordination@acsrv.demo",
    "entreprises@acsrv.demo",
    "partenaire@capep.demo",
]


@pytest.fixture
def some_records(demo):
    from tests.youth.factories import JeuneFactory, ParticipationFactory

    conseillere = demo.users["conseillere@acsrv.demo"]
    for index, (nom, prenom) in enumerate([("Martin", "Léa"), ("Bernard", "Yanis"), ("Dubois", "Chloé")]):
        jeune = JeuneFactory(organisation=demo.orgs["acsrv"], nom=nom, prenom=prenom, referent=conseillere)
        if index:
            ParticipationFactory(jeune=jeune, operation=demo.operations["EME"], entree=True)
    return demo


def test_main_navigation_is_accessible_and_fits_360px(browser_session, base_url, some_records, check):
    """One test for the four roles (one live-server database flush instead of four); every problem is listed."""
    problems = []
    for email in ACCOUNTS:
        page = browser_session.new_page()
        login(page, base_url, email)
        nav = page.get_by_role("navigation", name="Navigation principale")
        links = []
        for link in nav.get_by_role("link").all():
            href = link.get_attribute("href")
            if href and href.startswith("/") and href not in links:
                links.append(href)
        if not links:
            problems.append(f"{email} : aucun lien dans la navigation principale")
        for href in links:
            response = page.goto(f"{base_url}{href}")
            if response.status != 200:
                problems.append(f"{email} {href} → {response.status}")
                continue
            try:
                check(page, f"{email.split('@')[0]} {href.strip('/') or 'accueil'}")
            except AssertionError as exc:
                problems.append(f"{email} {href} : {exc}")
        page.context.close()
    assert not problems, "\n".join(problems)
    assert len(check.visited) >= 20
