"""Journey — coordination invites a conseillère, who opens the e-mail's link in her own browser context, sets her
password and lands with her role; coordination deactivates her and her open session ends at her next page."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.support import login


pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PASSWORD = "Accompagner-les-jeunes-2026"


def field(scope, label):
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def test_coordination_invites_then_deactivates_a_conseillere(browser_session, base_url, demo, check):
    mail.outbox.clear()
    coordination = browser_session.new_page()
    login(coordination, base_url, "coordination@acsrv.demo")
    nav = coordination.get_by_role("navigation", name="Navigation principale")
    nav.get_by_role("link", name="Paramètres").click()
    expect(coordination.get_by_role("heading", level=1)).to_have_text(re.compile("Paramètres de ACSRV"))
    check(coordination, "parametres")
    nav.get_by_role("link", name="Équipe").click()
    check(coordination, "equipe")
    coordination.get_by_role("link", name="Inviter une personne").click()
    check(coordination, "inviter")
    field(coordination, "Adresse e-mail professionnelle").fill("Ines.Lambert@acsrv.demo")
    field(coordination, "Prénom").fill("Inès")
    field(coordination, "Nom").fill("Lambert")
    field(coordination, "Rôle").select_option(label="Conseillère d'insertion")
    coordination.get_by_role("button", name="Envoyer l'invitation").click()
    expect(coordination.get_by_text("Invitation envoyée à ines.lambert@acsrv.demo")).to_be_visible()
    expect(coordination.get_by_test_id("invitations")).to_contain_text("ines.lambert@acsrv.demo")
    check(coordination, "equipe invitation en attente")

    assert mail.outbox[-1].to == ["ines.lambert@acsrv.demo"]
    link = re.search(r"https?://\S+/invitation/equipe/\S+/", mail.outbox[-1].body).group(0)

    # She opens the link in her own browser context (other cookies), sets her password, lands as a conseillère.
    ines = browser_session.new_page()
    ines.goto(link)
    expect(ines.get_by_role("heading", level=1)).to_have_text("Rejoindre ACSRV")
    check(ines, "invitation")
    field(ines, "Mot de passe").fill(PASSWORD)
    field(ines, "Confirmez le mot de passe").fill(PASSWORD)
    ines.get_by_role("button", name="Activer mon accès").click()
    ines.wait_for_load_state("load")
    assert urlsplit(ines.url).path == "/"
    expect(ines.get_by_text("Bienvenue ! Vous faites partie de ACSRV")).to_be_visible()
    expect(ines.get_by_test_id("current-organisation")).to_contain_text("Conseillère d'insertion")
    check(ines, "accueil conseillere")
    ines.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Jeunes").click()
    assert urlsplit(ines.url).path == "/jeunes/"

    # She can log in again with her password (second context, like another device).
    again = browser_session.new_page()
    login(again, base_url, "ines.lambert@acsrv.demo", PASSWORD)
    expect(again.get_by_test_id("current-organisation")).to_contain_text("Conseillère d'insertion")

    # Coordination deactivates her.
    coordination.reload()
    membre = coordination.locator('[data-membre="ines.lambert@acsrv.demo"]')
    expect(membre).to_contain_text("Conseillère d'insertion")
    membre.get_by_role("link", name=re.compile("^Désactiver")).click()
    check(coordination, "desactiver")
    coordination.get_by_role("button", name="Désactiver l'accès").click()
    expect(coordination.get_by_text("est désactivé")).to_be_visible()
    expect(coordination.locator('[data-membre="ines.lambert@acsrv.demo"]')).to_contain_text("désactivée")
    check(coordination, "equipe apres desactivation")

    # Her open sessions end at her next page, with a French message.
    for session in (ines, again):
        session.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Jeunes").click()
        session.wait_for_load_state("load")
        assert urlsplit(session.url).path == "/connexion/"
        expect(session.get_by_text("Votre accès à ACSRV a été désactivé par la coordination")).to_be_visible()
    check(ines, "session terminee")

    from core.models import Membership

    membership = Membership.objects.get(user__email="ines.lambert@acsrv.demo")
    assert (membership.organisation.sigle, membership.role, membership.is_active) == ("ACSRV", "conseillere", False)
