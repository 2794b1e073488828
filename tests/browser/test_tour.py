"""Each role's main navigation, page by page: accessible (axe WCAG 2.1 A/AA), usable at 360 px, no JS/CSP error.

The pages are found by following the links of the "Navigation principale" landmark, so a page added to the
menu is covered without changing this test.
"""

import pytest

from tests.browser.support import login


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


@pytest.mark.parametrize("email", ACCOUNTS)
def test_main_navigation_is_accessible_and_fits_360px(page, base_url, some_records, check, email):
    login(page, base_url, email)
    check(page, "accueil")
    nav = page.get_by_role("navigation", name="Navigation principale")
    links = []
    for link in nav.get_by_role("link").all():
        href = link.get_attribute("href")
        if href and href.startswith("/") and href not in links:
            links.append(href)
    assert links, "aucun lien dans la navigation principale"
    for href in links:
        response = page.goto(f"{base_url}{href}")
        assert response.status == 200, f"{href} → {response.status}"
        check(page, href.strip("/") or "accueil")
    assert len(check.visited) >= 2
