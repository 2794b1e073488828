"""Journey 2 — a partner orients a young person through the portal; the conseillère accepts it in her own browser
context; the partner sees the new status; another partner's orientation answers the not-found page (404)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.support import login


pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def partenariats(demo):
    """CAPEP and CAO 59 orient young people to ACSRV; CAO 59 already sent one."""
    from tests.outreach.factories import OrientationFactory, PartenariatFactory

    acsrv = demo.orgs["acsrv"]
    PartenariatFactory(porteur=acsrv, partenaire=demo.orgs["capep"])
    PartenariatFactory(porteur=acsrv, partenaire=demo.orgs["cao59"])
    autre = OrientationFactory(organisation=acsrv, partenaire=demo.orgs["cao59"], nom="Vasseur", prenom="Kylian")
    return {"orientation_cao59": autre}


def textbox(scope, label):
    """A text field by its exact label (crispy adds "*" to required ones)."""
    return scope.get_by_role("textbox", name=re.compile(rf"^{re.escape(label)}\*?$"))


def test_partner_orients_and_follows_the_answer(browser_session, base_url, partenariats, check):
    # The partner (CAPEP) sends an orientation.
    partner = browser_session.new_page()
    login(partner, base_url, "partenaire@capep.demo", check=check)
    assert partner.url == f"{base_url}/portail/"
    check(partner, "portail")
    expect(partner.get_by_role("link", name=re.compile("VASSEUR"))).to_have_count(0)  # CAO 59's, not ours
    partner.get_by_role("link", name="Orienter un jeune").click()
    check(partner, "orientation formulaire")
    partner.get_by_label("Structure à qui vous orientez ce jeune").select_option(label="ACSRV")
    textbox(partner, "Nom").fill("Carpentier")
    textbox(partner, "Prénom").fill("Jade")
    partner.get_by_label("Sexe").select_option("F")
    textbox(partner, "Date de naissance").fill("2005-06-21")
    textbox(partner, "Téléphone").fill("06 45 78 12 90")
    partner.get_by_label("Motif de l'orientation").fill("Sortie de formation sans diplôme, souhaite travailler.")
    partner.get_by_label("Le jeune a été informé de cette orientation", exact=False).check()
    partner.get_by_role("button", name="Envoyer l'orientation").click()
    expect(partner.get_by_role("heading", level=1)).to_have_text("Jade CARPENTIER")
    expect(partner.get_by_test_id("suivi")).to_have_text("Reçue")
    check(partner, "orientation envoyee")
    orientation_url = partner.url

    # The conseillère (her own browser context: other cookies) accepts it.
    conseillere = browser_session.new_page()
    login(conseillere, base_url, "conseillere@acsrv.demo")
    conseillere.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Repérage").click()
    conseillere.get_by_role("link", name="Orientations", exact=True).click()
    check(conseillere, "orientations recues")
    conseillere.get_by_role("link", name="CARPENTIER Jade").click()
    check(conseillere, "orientation a examiner")
    conseillere.get_by_role("button", name="Accepter l'orientation").click()
    expect(conseillere.get_by_text("Acceptée").first).to_be_visible()
    check(conseillere, "orientation acceptee")

    # The partner reloads and sees the new status.
    partner.reload()
    expect(partner.get_by_test_id("suivi")).to_have_text("Acceptée")
    partner.get_by_role("navigation", name="Fil d'Ariane").get_by_role("link", name="Mes orientations").click()
    expect(partner.get_by_role("row", name=re.compile("CARPENTIER Jade"))).to_contain_text("Acceptée")
    check(partner, "portail apres acceptation")

    # Another partner's orientation: the not-found page, status 404, nothing of it shown.
    browser_session.allow(r"status of 404")
    other = partenariats["orientation_cao59"]
    response = partner.goto(f"{base_url}/portail/orientations/{other.pk}/")
    assert response.status == 404
    expect(partner.get_by_role("heading", level=1)).to_have_text("Page introuvable")
    expect(partner.get_by_text("Vasseur", exact=False)).to_have_count(0)
    check(partner, "orientation cao59 introuvable")

    from outreach.models import Orientation

    sent = Orientation.objects.get(nom="Carpentier")
    assert sent.partenaire.sigle == "CAPEP"
    assert sent.statut == Orientation.Statut.ACCEPTEE
    assert sent.jeune is not None
    assert sent.jeune.organisation.sigle == "ACSRV"
    assert orientation_url.endswith(f"/portail/orientations/{sent.pk}/")
