"""The brief's journeys in a real Chromium: Les Z'ELLES session, immersion rules, the permis AM cap."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from funding.models import Aide, LigneBudgetaire, PlafondAide
from tests.browser.support import login, pick
from tests.employers.factories import EntrepriseFactory
from tests.youth.factories import JeuneFactory, ParticipationFactory
from workshops.models import Inscription, Seance


pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
]
# A refused form answers 422 (Unprocessable Entity), which Chromium logs in the console.
REFUSED_FORM = r"status of 422"


def test_zelles_session_registration_attendance_and_sheet(page, browser_session, base_url, demo, check):
    browser_session.allow(REFUSED_FORM)
    acsrv = demo.orgs["acsrv"]
    for nom, prenom, sexe in [("Martin", "Léa", "F"), ("Petit", "Chloé", "F"), ("Bernard", "Yanis", "H")]:
        JeuneFactory(organisation=acsrv, nom=nom, prenom=prenom, sexe=sexe)
    login(page, base_url, "conseillere@acsrv.demo")
    page.goto(f"{base_url}/ateliers/")
    page.get_by_role("link", name="Nouvel atelier").click()
    page.locator("#id_intitule").fill("Les Z'ELLES")
    page.locator("#id_operation").select_option(label=str(demo.operations["EME"]))
    page.locator("#id_theme").select_option("redynamisation")
    page.locator("#id_public").select_option("femmes")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("link", name="Nouvelle séance").click()
    day = timezone.localdate() + timedelta(days=7)
    page.locator("#id_date").fill(day.isoformat())
    page.locator("#id_heure_debut").fill("14:00")
    page.locator("#id_heure_fin").fill("16:30")
    page.locator("#id_lieu").fill("Centre social Dutemple")
    page.locator("#id_capacite").fill("8")
    page.get_by_role("button", name="Enregistrer").click()
    check(page, "seance")
    for label in ["MARTIN Léa", "PETIT Chloé"]:
        pick(page, "Jeune à inscrire", label.split()[0].capitalize(), label)
        page.get_by_role("button", name="Inscrire").click()
        expect(page.locator("[role=status]").filter(has_text="est inscrit·e")).to_be_visible()
    pick(page, "Jeune à inscrire", "Bernard Yanis", "BERNARD Yanis")
    page.get_by_role("button", name="Inscrire").click()
    expect(page.get_by_text("réservée aux femmes").first).to_be_visible()
    check(page, "seance-refus")
    # Attendance is taken on the day of the session (not before): the day comes.
    Seance.objects.filter(date=day, lieu="Centre social Dutemple").update(date=timezone.localdate())
    page.reload()
    for radio in page.locator('input[type="radio"][value="present"]').all():
        radio.check()
    page.get_by_role("button", name="Enregistrer les présences").click()
    expect(page.locator("[role=status]").filter(has_text="Présences enregistrées")).to_be_visible()
    assert sorted(Inscription.objects.values_list("presence", flat=True)) == ["present", "present"]
    href = page.get_by_role("link", name="Feuille d'émargement (PDF)").get_attribute("href")
    response = page.request.get(f"{base_url}{href}")
    assert response.headers["content-type"] == "application/pdf"


def test_immersion_accepted_then_refused(page, browser_session, base_url, demo, check):
    browser_session.allow(REFUSED_FORM)
    acsrv = demo.orgs["acsrv"]
    JeuneFactory(organisation=acsrv, nom="Lefebvre", prenom="Inès")
    EntrepriseFactory(organisation=acsrv, nom="Boulangerie Dubois")
    login(page, base_url, "entreprises@acsrv.demo")

    def fill(debut, fin):
        page.goto(f"{base_url}/ateliers/immersions/nouvelle/")
        pick(page, "Jeune", "Lefebvre", "LEFEBVRE Inès")
        pick(page, "Structure d'accueil", "Dubois", "Boulangerie Dubois")
        page.locator("#id_objet").select_option("decouvrir_metier")
        page.locator("#id_metier").fill("Boulanger")
        page.locator("#id_date_debut").fill(debut)
        page.locator("#id_date_fin").fill(fin)
        page.locator("#id_heures_hebdo").fill("35")
        page.locator("#id_tuteur_nom").fill("M. Dubois")
        page.locator("#id_objectifs").fill("Découvrir le fournil.")
        page.get_by_role("button", name="Enregistrer").click()

    fill("2026-06-01", "2026-06-12")
    expect(page.get_by_text("Convention d'immersion enregistrée").first).to_be_visible()
    check(page, "immersion")
    fill("2026-09-01", "2026-10-05")
    content = page.content()
    assert "au plus un mois de date à date" in content
    assert "ne peut être que renouvelée" in content
    check(page, "immersion-refus")


def test_permis_am_until_the_cap(page, browser_session, base_url, demo):
    browser_session.allow(REFUSED_FORM)
    eme = demo.operations["EME"]
    ligne = LigneBudgetaire.objects.get(operation=eme, categorie="participants")
    participations = [
        ParticipationFactory(
            jeune__organisation=demo.orgs["acsrv"], jeune__nom=f"Jeune{i:02d}", operation=eme, entree=True
        )
        for i in range(16)
    ]
    today = timezone.localdate()
    Aide.objects.bulk_create(
        Aide(
            organisation=demo.orgs["acsrv"],
            participation=p,
            ligne_budgetaire=ligne,
            kind="permis_am",
            date_attribution=today,
            montant=Decimal("450"),
            assr_justificatif=True,
        )
        for p in participations[:14]
    )
    assert PlafondAide.objects.get(operation=eme, kind="permis_am").nombre_max_par_an == 15
    login(page, base_url, "conseillere@acsrv.demo")
    for participation, accepted in [(participations[14], True), (participations[15], False)]:
        page.goto(f"{base_url}/financements/aides/nouvelle/?participation={participation.pk}&kind=permis_am")
        page.locator("#id_montant").fill("450")
        page.locator("#id_ligne_budgetaire").select_option(str(ligne.pk))
        page.locator("#id_assr_justificatif").check()
        page.get_by_role("button", name="Enregistrer").click()
        if accepted:
            expect(page.get_by_text("Aide « Permis AM » enregistrée").first).to_be_visible()
    plafond = f"Plafond atteint : 15 permis AM déjà financés en {today.year} pour En mode emploi."
    expect(page.get_by_text(plafond).first).to_be_visible()
    assert Aide.objects.filter(kind="permis_am").count() == 15
