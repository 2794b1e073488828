"""Journey — trustworthy records (issue 18): a likely duplicate on « Nouveau jeune » (warning, typed values kept,
« Créer quand même » or open the existing dossier), coordination merges two dossiers, an entretien is deleted
with a reason and restored from the corbeille. Only clicks and typing; every page is checked (axe, 360 px)."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.support import login


def label(text):
    """A form label as crispy renders it (« Nom* », surrounded by whitespace)."""
    return re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$")


pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def records(demo):
    from tests.youth.factories import EntretienFactory, JeuneFactory

    acsrv = demo.orgs["acsrv"]
    conseillere = demo.users["conseillere@acsrv.demo"]
    existing = JeuneFactory(
        organisation=acsrv, nom="Vasseur", prenom="Éloïse", date_naissance=date(2004, 5, 17), referent=conseillere
    )
    kept = JeuneFactory(organisation=acsrv, nom="Carpentier", prenom="Noah", date_naissance=date(2003, 1, 8))
    duplicate = JeuneFactory(
        organisation=acsrv, nom="CARPENTIER", prenom="Noah", date_naissance=date(2003, 1, 8), email="noah@example.org"
    )
    EntretienFactory(jeune=duplicate, auteur=conseillere, notes="Premier accueil au centre social")
    return {"existing": existing, "kept": kept, "duplicate": duplicate}


def test_nouveau_jeune_warns_of_a_likely_duplicate(page, base_url, records, check):
    login(page, base_url, "conseillere@acsrv.demo")
    page.goto(f"{base_url}/jeunes/nouveau/")
    page.get_by_label(label("Nom")).fill("vasseur")
    page.get_by_label(label("Prénom")).fill("Eloise")
    page.get_by_label(label("Sexe")).select_option(label="Femme")
    page.get_by_label(label("Date de naissance")).fill("2004-05-17")
    page.get_by_label(label("Commune")).fill("Anzin")
    page.get_by_role("button", name="Enregistrer").click()

    warning = page.locator("[data-doublons]")
    expect(warning).to_contain_text("même nom et date de naissance")
    expect(warning.get_by_role("link", name=re.compile("Ouvrir le dossier"))).to_have_attribute(
        "href", records["existing"].get_absolute_url()
    )
    expect(page.get_by_label(label("Commune"))).to_have_value("Anzin")  # what was typed is kept
    check(page, "nouveau jeune doublon")

    warning.get_by_role("button", name="Créer quand même").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Eloise VASSEUR")
    page.goto(f"{base_url}/jeunes/nouveau/")
    page.get_by_label(label("Nom")).fill("Vasseur")
    page.get_by_label(label("Prénom")).fill("Éloïse")
    page.get_by_label(label("Sexe")).select_option(label="Femme")
    page.get_by_label(label("Date de naissance")).fill("2004-05-17")
    page.get_by_role("button", name="Enregistrer").click()
    page.locator("[data-doublons]").get_by_role("link", name=re.compile("Ouvrir le dossier")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("VASSEUR")


def test_coordination_merges_a_duplicate_then_deletes_and_restores_an_entretien(page, base_url, records, check):
    kept, duplicate = records["kept"], records["duplicate"]
    login(page, base_url, "coordination@acsrv.demo")
    page.goto(f"{base_url}{kept.get_absolute_url()}")
    page.get_by_role("link", name="Fusionner avec un autre dossier").click()
    check(page, "fusion choix")
    page.get_by_role("link", name=re.compile(f"n° {duplicate.pk}")).click()
    preview = page.locator("[data-apercu]")
    expect(preview).to_contain_text("Entretiens")
    check(page, "fusion apercu")
    page.get_by_role("button", name="Confirmer la fusion").click()
    expect(page.get_by_role("alert").or_(page.locator(".alert-success")).first).to_contain_text("fusionné")
    expect(page.get_by_role("region", name="Chronologie")).to_contain_text("Premier accueil au centre social")
    page.goto(f"{base_url}{duplicate.get_absolute_url()}")  # the merged dossier leads to the kept one
    expect(page).to_have_url(re.compile(f"/jeunes/{kept.pk}/$"))

    # Delete the entretien with a reason, then restore it from the corbeille.
    page.goto(f"{base_url}/jeunes/{kept.pk}/entretiens/")
    page.get_by_role("link", name=re.compile("^Supprimer l'entretien")).click()
    page.get_by_role("button", name="Supprimer").click()
    expect(page.locator("[data-form-errors]")).to_contain_text("La suppression n'est pas enregistrée")
    page.get_by_label(re.compile("Motif de la suppression")).fill("Saisi dans le mauvais dossier")
    check(page, "suppression entretien")
    page.get_by_role("button", name="Supprimer").click()
    expect(page.get_by_role("region", name="Chronologie")).not_to_contain_text("Premier accueil au centre social")
    page.goto(f"{base_url}/jeunes/")
    page.get_by_role("link", name="Corbeille").click()
    table = page.locator("[data-corbeille]")
    expect(table).to_contain_text("Saisi dans le mauvais dossier")
    expect(table).to_contain_text(f"Fusionné dans le dossier n° {kept.pk}")
    check(page, "corbeille")
    table.get_by_role("button", name=re.compile("^Restaurer entretien")).click()
    expect(page.locator("[data-corbeille]")).not_to_contain_text("Saisi dans le mauvais dossier")
    page.goto(f"{base_url}{kept.get_absolute_url()}")
    expect(page.get_by_role("region", name="Chronologie")).to_contain_text("Premier accueil au centre social")
