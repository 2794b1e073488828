import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader

from core.models import Role
from team.forms import siret_is_valid
from team.models import EvenementEquipe
from tests.workshops.factories import ImmersionFactory, SeanceFactory


pytestmark = pytest.mark.django_db

VALID = {
    "raison_sociale": "Association Tremplin Jeunes du Bassin",
    "siret": "73282932000074",
    "adresse": "12 rue de la Gare",
    "code_postal": "62220",
    "telephone": "03 21 00 00 00",
    "representant_nom": "Claire Dumont",
    "representant_qualite": "Présidente",
    "responsable_traitement_nom": "Claire Dumont",
    "responsable_traitement_email": "presidence@tremplin-bassin.fr",
    "dpo_nom": "Marc Lefèvre",
    "dpo_email": "dpo@tremplin-bassin.fr",
    "rappel_heure": "09:30",
    "texte_invitation": "Bonjour {prenom}, rendez-vous le {date} à {heure}.",
    "texte_rappel": "Rappel : demain {date} à {heure}, {lieu}.",
}


def _png(size=(40, 20)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (0, 80, 160)).save(buffer, format="PNG")
    return SimpleUploadedFile("logo.PNG", buffer.getvalue(), content_type="image/png")


def test_siret_luhn():
    assert siret_is_valid("73282932000074")
    assert not siret_is_valid("73282932000075")
    assert not siret_is_valid("7328293200007")
    assert siret_is_valid("35600000000048")  # La Poste's head office (Luhn)
    assert siret_is_valid("35600000000100")  # another La Poste establishment: digit sum divisible by 5
    assert not siret_is_valid("35600000000101")


def test_settings_are_saved_and_logged(coordination, world):
    response = coordination.post("/organisation/parametres/", {**VALID, "logo": _png()})
    assert response.status_code == 302
    world.org_a.refresh_from_db()
    assert world.org_a.raison_sociale == VALID["raison_sociale"]
    assert world.org_a.rappel_heure.strftime("%H:%M") == "09:30"
    assert world.org_a.logo.name.startswith("organisations/")
    assert "logo" not in world.org_a.logo.name  # stored under an unguessable name (core.uploads.upload_to)
    assert world.org_a.logo.name.endswith(".png")
    event = EvenementEquipe.objects.get(kind=EvenementEquipe.Kind.PARAMETRES)
    assert "Raison sociale" in event.detail
    assert "SIRET" in event.detail
    page = coordination.get("/organisation/parametres/").content.decode()
    assert "data:image/png;base64," in page


def test_errors_are_french_and_keep_what_was_typed(coordination, world):
    data = {**VALID, "siret": "73282932000075", "code_postal": "622", "texte_rappel": "Demain {date} avec {nom}."}
    response = coordination.post("/organisation/parametres/", data)
    assert response.status_code == 422
    content = response.content.decode()
    assert "la clé de contrôle ne correspond pas" in content
    assert "Le code postal compte 5 chiffres." in content
    assert "Espace réservé inconnu : nom." in content
    assert 'value="Association Tremplin Jeunes du Bassin"' in content
    assert 'value="73282932000075"' in content
    world.org_a.refresh_from_db()
    assert world.org_a.raison_sociale == ""


def test_the_logo_is_an_image_of_limited_size(coordination, world):
    fake = SimpleUploadedFile("logo.png", b"%PDF-1.4 not an image", content_type="image/png")
    response = coordination.post("/organisation/parametres/", {**VALID, "logo": fake})
    assert response.status_code == 422
    assert "logo" in response.context["form"].errors
    big = SimpleUploadedFile("logo.png", _png().read() + b"\0" * (1024 * 1024), content_type="image/png")
    response = coordination.post("/organisation/parametres/", {**VALID, "logo": big})
    assert "Le logo dépasse 1 Mo" in response.content.decode()


def test_the_preview_fills_the_placeholders_without_saving(coordination, world):
    response = coordination.post("/organisation/parametres/", {**VALID, "apercu": "1"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Bonjour Inès, rendez-vous le lundi 23 novembre 2026 à 14 h 30." in content
    assert "{prenom}" in content  # the list of placeholders is explained
    world.org_a.refresh_from_db()
    assert world.org_a.raison_sociale == ""


def test_settings_are_coordination_only(client, world):
    for role in (Role.CONSEILLERE, Role.CHARGE_ENTREPRISES, Role.PARTENAIRE):
        client.force_login(world.users_a[role])
        assert client.get("/organisation/parametres/").status_code == 403


def test_the_register_shows_the_organisations_real_details(client, coordination, world):
    page = coordination.get("/rgpd/registre/").content.decode()
    assert "dpo@structure.example" not in page
    assert "à compléter par la coordination" in page
    assert 'href="/organisation/parametres/"' in page
    coordination.post("/organisation/parametres/", VALID)
    client.force_login(world.users_a[Role.CONSEILLERE])
    page = client.get("/rgpd/registre/").content.decode()
    assert "Association Tremplin Jeunes du Bassin, SIRET 73282932000074" in page
    assert "12 rue de la Gare, 62220" in page
    assert "Marc Lefèvre, dpo@tremplin-bassin.fr" in page
    assert "Claire Dumont, presidence@tremplin-bassin.fr" in page
    assert "à compléter par la coordination" not in page
    # what is collected, why and who reads it: the diagnostic's health and justice themes, the entretien rule
    assert "« Santé », « Justice »" in page
    assert "aucune donnée de santé ni d&#x27;infraction" in page


def test_the_entretien_form_says_the_same_as_the_register():
    from core.collecte import ENTRETIEN_NOTES
    from youth.forms import EntretienForm

    assert EntretienForm().fields["notes"].help_text == ENTRETIEN_NOTES
    assert "diagnostic" in ENTRETIEN_NOTES


def _pdf_text(content):
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_pdf_header_has_the_legal_name_address_and_siret(coordination, world, settings):
    from workshops.pdf import convention_pdf, emargement_pdf

    coordination.post("/organisation/parametres/", {**VALID, "logo": _png()})
    world.org_a.refresh_from_db()
    seance = SeanceFactory(atelier__organisation=world.org_a)
    for content in (
        emargement_pdf(seance=seance, inscriptions=[], organisation=world.org_a),
        convention_pdf(immersion=ImmersionFactory(organisation=world.org_a), organisation=world.org_a),
    ):
        text = _pdf_text(content)
        assert "Association Tremplin Jeunes du Bassin" in text
        assert "SIRET 73282932000074" in text
        assert "12 rue de la Gare, 62220" in text
    templates = settings.BASE_DIR / "templates"
    for name in (
        "reports/pdf/bilan.html",
        "youth/contrat_pdf.html",
        "workshops/emargement_pdf.html",
        "workshops/immersion_convention_pdf.html",
    ):
        assert '{% include "includes/pdf_entete.html" %}' in (templates / name).read_text(), name


def test_the_placeholders_explained_are_the_ones_messages_replace():
    from core.text import MESSAGE_PLACEHOLDERS, unknown_placeholders
    from messaging.texts import PLACEHOLDERS

    assert set(MESSAGE_PLACEHOLDERS) == set(PLACEHOLDERS)
    assert unknown_placeholders("Bonjour {prenom}, {jeune.organisation.__class__} {}") == [
        "jeune.organisation.__class__",
        "{}",
    ]
