"""Journey 1 — a conseillère's day: find a young person, log an entretien, fill a diagnostic and read the radar,
register them to a workshop session, record their exit. Only clicks and typing; every page is checked
(axe WCAG 2.1 A/AA, 360 px, screenshots)."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.support import login, pick


pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def dossier(demo):
    """ACSRV: the young person the conseillère follows (entered in EME), two others, a questionnaire, a session."""
    from tests.diagnostics.factories import SMALL, questionnaire
    from tests.workshops.factories import AtelierFactory, SeanceFactory
    from tests.youth.factories import JeuneFactory, ParticipationFactory

    acsrv, eme = demo.orgs["acsrv"], demo.operations["EME"]
    conseillere = demo.users["conseillere@acsrv.demo"]
    jeune = JeuneFactory(
        organisation=acsrv, nom="Delcourt", prenom="Maëlys", date_naissance=date(2004, 2, 9), referent=conseillere
    )
    participation = ParticipationFactory(jeune=jeune, operation=eme, entree=True)
    for nom, prenom in [("Lefebvre", "Nolan"), ("Roussel", "Inaya")]:
        ParticipationFactory(
            jeune=JeuneFactory(organisation=acsrv, nom=nom, prenom=prenom), operation=eme, entree=True
        )
    questionnaire(acsrv, SMALL, titre="Diagnostic socio-professionnel")
    atelier = AtelierFactory(organisation=acsrv, operation=eme, intitule="Techniques de recherche d'emploi")
    seance = SeanceFactory(atelier=atelier, date=timezone.localdate() + timedelta(days=7))
    return {"jeune": jeune, "participation": participation, "seance": seance}


SCORES = {
    "Vous prenez le bus": "3",
    "Vous voyagez seul": "2",
    "Vous avez une famille qui vous soutient": "4",
    "Vous vous sentez bien dans votre vie": "3",
    "Vous avez une adresse mail personnelle": "4",
    "Vous avez effectué votre JDC": "1",
}


def test_conseillere_follows_a_young_person(page, base_url, dossier, check):
    today = timezone.localdate()
    login(page, base_url, "conseillere@acsrv.demo", check=check)
    check(page, "accueil")

    # 1. Find her through the search of /jeunes/.
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Jeunes").click()
    page.get_by_role("searchbox", name=re.compile("^Rechercher")).fill("delcourt")
    page.get_by_role("button", name="Filtrer").click()
    results = page.get_by_role("table")
    expect(results.get_by_role("link", name=re.compile("DELCOURT Maëlys"))).to_be_visible()
    expect(results.get_by_role("link", name=re.compile("LEFEBVRE"))).to_have_count(0)
    check(page, "recherche jeunes")
    results.get_by_role("link", name=re.compile("DELCOURT Maëlys")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Maëlys DELCOURT")
    check(page, "dossier")

    # 2. Log an entretien from the dossier.
    form = page.get_by_role("region", name="Noter un entretien")
    form.get_by_role("textbox", name=re.compile(r"^Date\*?$")).fill(today.isoformat())
    form.get_by_label("Type d'entretien").select_option(label="Téléphone")
    form.get_by_label("Notes").fill("Point sur la recherche de stage en logistique ; CV mis à jour ensemble.")
    form.get_by_label("Prochaines étapes").fill("Envoyer trois candidatures avant vendredi.")
    form.get_by_role("button", name="Enregistrer l'entretien").click()
    timeline = page.get_by_role("region", name="Chronologie")
    expect(timeline).to_contain_text("CV mis à jour ensemble")
    check(page, "dossier apres entretien")

    # 3. Fill the entry diagnostic, then read the radar on the dossier.
    page.get_by_role("link", name="Diagnostic d'entrée").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nouvelle évaluation")
    for item, score in SCORES.items():
        page.get_by_role("group", name=item, exact=True).get_by_label(score, exact=True).check()
    check(page, "diagnostic saisie")
    page.get_by_role("button", name="Enregistrer l'évaluation").click()
    page.goto(f"{base_url}/jeunes/{dossier['jeune'].pk}/")
    radar = page.get_by_role("img", name=re.compile("radar|diagnostic", re.I)).first
    expect(radar).to_be_visible()
    diagnostic = page.get_by_role("region", name="Diagnostic")
    expect(diagnostic.get_by_role("row", name=re.compile("Mobilité"))).to_contain_text("2,5")
    check(page, "dossier radar")

    # 4. Register her to the next session of a workshop.
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Ateliers").click()
    check(page, "ateliers")
    page.get_by_role("link", name="Techniques de recherche d'emploi").first.click()
    check(page, "atelier")
    page.get_by_role("link", name=dossier["seance"].date.strftime("%d/%m/%Y")).first.click()
    check(page, "seance")
    pick(page, "Jeune à inscrire", "Delcourt", "DELCOURT Maëlys")
    page.get_by_role("button", name="Inscrire", exact=True).click()
    inscrits = page.get_by_role("region", name="Inscrits et présences")
    expect(inscrits.get_by_role("link", name=re.compile("DELCOURT Maëlys"))).to_be_visible()
    check(page, "seance inscrite")

    # 5. Record her exit (CDI) from the dossier.
    inscrits.get_by_role("link", name=re.compile("DELCOURT Maëlys")).click()
    page.get_by_role("link", name="Enregistrer la sortie").click()
    check(page, "sortie")
    page.get_by_label("Date de sortie").fill(today.isoformat())
    page.get_by_label("Situation à la sortie").select_option("emploi_cdi")
    page.get_by_role("button", name="Enregistrer la sortie").click()
    page.goto(f"{base_url}/jeunes/{dossier['jeune'].pk}/")
    parcours = page.get_by_role("region", name="Parcours")
    expect(parcours).to_contain_text(f"Sortie le {today:%d/%m/%Y}")
    expect(parcours).to_contain_text("Sorti·e")
    check(page, "dossier sortie")

    # What the person did is what the database holds.
    dossier["participation"].refresh_from_db()
    assert dossier["participation"].date_sortie == today
    assert dossier["participation"].situation_sortie == "emploi_cdi"
    assert dossier["jeune"].entretiens.get().notes.startswith("Point sur la recherche")
    assert dossier["seance"].inscriptions.filter(jeune=dossier["jeune"]).exists()
