import io
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from core import dossier
from core.dossier import DossierContext
from core.models import Role
from tests.core.factories import MembershipFactory
from tests.employers.factories import EntrepriseFactory
from tests.scope import events_for, scope_for
from tests.workshops.factories import AtelierFactory, ImmersionFactory, InscriptionFactory, SeanceFactory
from tests.youth.factories import JeuneFactory
from workshops.models import Immersion, Inscription


pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf_text(response):
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


@pytest.fixture
def conseillere_client(client):
    membership = MembershipFactory(role=Role.CONSEILLERE)
    client.force_login(membership.user)
    client.organisation = membership.organisation
    return client


def test_atelier_list_isolation_and_bounded_queries(conseillere_client, django_assert_max_num_queries):
    org = conseillere_client.organisation
    AtelierFactory(organisation=org, intitule="Atelier CV")
    AtelierFactory(intitule="Atelier d'ailleurs")
    SeanceFactory(atelier__organisation=org, date=date(2099, 1, 5))
    url = reverse("workshops:atelier_list")
    with django_assert_max_num_queries(10) as ctx:
        response = conseillere_client.get(url)
    baseline = len(ctx.captured_queries)
    content = response.content.decode()
    assert "Atelier CV" in content
    assert "Atelier d&#x27;ailleurs" not in content
    assert "Atelier d'ailleurs" not in content
    for _ in range(5):
        InscriptionFactory(seance=SeanceFactory(atelier=AtelierFactory(organisation=org), date=date(2099, 2, 1)))
    with django_assert_max_num_queries(baseline):
        conseillere_client.get(url)


def test_create_a_zelles_session_register_take_attendance_print(conseillere_client, django_assert_max_num_queries):
    """The brief's walk-through: women-only session, a young man refused, attendance, émargement PDF."""
    org = conseillere_client.organisation
    atelier = AtelierFactory(organisation=org, femmes=True, animateur="Nadia Benali")
    response = conseillere_client.post(
        reverse("workshops:seance_create", args=[atelier.pk]),
        {"date": "2026-05-12", "heure_debut": "14:00", "heure_fin": "16:30", "lieu": "Salle Wallon", "capacite": 8},
    )
    seance = atelier.seances.get()
    assert response.status_code == 302
    assert response.url == seance.get_absolute_url()
    femmes = [JeuneFactory(organisation=org, sexe="F", nom=f"Femme{i}") for i in range(3)]
    homme = JeuneFactory(organisation=org, sexe="H", prenom="Yanis", nom="Homme")
    for jeune in femmes:
        r = conseillere_client.post(reverse("workshops:inscription_create", args=[seance.pk]), {"jeune": jeune.pk})
        assert r.status_code == 302
    refused = conseillere_client.post(reverse("workshops:inscription_create", args=[seance.pk]), {"jeune": homme.pk})
    assert refused.status_code == 422
    assert "réservée aux femmes" in refused.content.decode()
    assert not Inscription.objects.filter(jeune=homme).exists()

    inscriptions = list(seance.inscriptions.order_by("pk"))
    data = {
        f"presence-{inscriptions[0].pk}": "present",
        f"presence-{inscriptions[1].pk}": "absent_excuse",
        f"presence-{inscriptions[2].pk}": "absent",
    }
    assert conseillere_client.post(reverse("workshops:presences_update", args=[seance.pk]), data).status_code == 302
    assert sorted(seance.inscriptions.values_list("presence", flat=True)) == ["absent", "absent_excuse", "present"]

    url = reverse("workshops:seance_detail", args=[seance.pk])
    with django_assert_max_num_queries(12) as ctx:
        page = conseillere_client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count("checked") == 3
    baseline = len(ctx.captured_queries)
    for _i in range(4):
        InscriptionFactory(seance=seance, jeune=JeuneFactory(organisation=org, sexe="F"), presence="present")
    with django_assert_max_num_queries(baseline):
        conseillere_client.get(url)

    pdf = conseillere_client.get(reverse("workshops:emargement_pdf", args=[seance.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    text = _pdf_text(pdf)
    assert "Cofinancé par l'Union européenne" in text
    assert atelier.operation.intitule in text
    assert "FEMME0" in text
    assert "Les Z'ELLES" in text
    assert "HOMME" not in text


def test_full_session_refuses_registration(conseillere_client):
    seance = SeanceFactory(atelier__organisation=conseillere_client.organisation, capacite=1)
    InscriptionFactory(seance=seance)
    jeune = JeuneFactory(organisation=conseillere_client.organisation)
    response = conseillere_client.post(reverse("workshops:inscription_create", args=[seance.pk]), {"jeune": jeune.pk})
    assert response.status_code == 422
    assert "complète" in response.content.decode()


def test_registration_choices_are_scoped(conseillere_client):
    seance = SeanceFactory(atelier__organisation=conseillere_client.organisation)
    outsider = JeuneFactory()
    response = conseillere_client.post(
        reverse("workshops:inscription_create", args=[seance.pk]), {"jeune": outsider.pk}
    )
    assert response.status_code == 422
    assert not Inscription.objects.exists()


def test_signed_sheet_upload_and_scoped_download(conseillere_client, client):
    seance = SeanceFactory(atelier__organisation=conseillere_client.organisation)
    url = reverse("workshops:emargement_upload", args=[seance.pk])
    bad = conseillere_client.post(url, {"fichier": SimpleUploadedFile("scan.pdf", b"MZ not a pdf")})
    assert bad.status_code == 422
    assert "Format de fichier non accepté" in bad.content.decode()
    ok = conseillere_client.post(url, {"fichier": SimpleUploadedFile("scan.pdf", PDF_BYTES)})
    assert ok.status_code == 302
    seance.refresh_from_db()
    assert seance.emargement_signe.name.startswith("emargements/")
    download = conseillere_client.get(reverse("workshops:emargement_download", args=[seance.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    intruder = MembershipFactory(role=Role.COORDINATEUR)
    client.force_login(intruder.user)
    assert client.get(reverse("workshops:emargement_download", args=[seance.pk])).status_code == 404


def test_partner_gets_403_on_workshops(client):
    partner = MembershipFactory(partenaire=True)
    client.force_login(partner.user)
    assert client.get(reverse("workshops:atelier_list")).status_code == 403
    assert client.get(reverse("workshops:immersion_list")).status_code == 403


def _immersion_data(jeune, entreprise, **overrides):
    data = {
        "jeune": jeune.pk,
        "entreprise": entreprise.pk,
        "prescripteur": "Mission Locale du Valenciennois (délégation)",
        "objet": Immersion.Objet.DECOUVRIR,
        "metier": "Agent·e de propreté",
        "date_debut": "2026-06-01",
        "date_fin": "2026-06-12",
        "heures_hebdo": "30",
        "tuteur_nom": "M. Lefebvre",
        "objectifs": "Découvrir les gestes professionnels.",
    }
    data.update(overrides)
    return data


def test_charge_entreprises_creates_an_accepted_and_a_refused_convention(client, django_assert_max_num_queries):
    membership = MembershipFactory(role=Role.CHARGE_ENTREPRISES)
    client.force_login(membership.user)
    org = membership.organisation
    jeune = JeuneFactory(organisation=org, nom="Dupuis")
    entreprise = EntrepriseFactory(organisation=org, nom="Propreté du Hainaut")
    url = reverse("workshops:immersion_create")
    assert client.get(url).status_code == 200
    accepted = client.post(url, _immersion_data(jeune, entreprise))
    immersion = Immersion.objects.get()
    assert accepted.status_code == 302
    assert accepted.url == immersion.get_absolute_url()
    assert immersion.organisation == org
    assert immersion.created_by == membership.user
    refused = client.post(url, _immersion_data(jeune, entreprise, date_debut="2026-07-01", date_fin="2026-08-05"))
    assert refused.status_code == 422
    content = refused.content.decode()
    assert "au plus un mois de date à date" in content
    assert "ne peut être que renouvelée" in content
    assert 'value="Agent·e de propreté"' in content  # what was typed is kept
    assert Immersion.objects.count() == 1

    pdf = client.get(reverse("workshops:immersion_pdf", args=[immersion.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = _pdf_text(pdf)
    assert "PMSMP" in text
    assert "DUPUIS" in text
    assert "Propreté du Hainaut" in text
    assert "Découvrir un métier" in text

    evaluate = client.post(
        reverse("workshops:immersion_evaluate", args=[immersion.pk]),
        {"evaluee_le": "2026-06-12", "objectifs_atteints": "non", "evaluation": "Bonne découverte, à confirmer."},
    )
    assert evaluate.status_code == 302
    immersion.refresh_from_db()
    assert immersion.objectifs_atteints is False

    list_url = reverse("workshops:immersion_list")
    with django_assert_max_num_queries(10) as ctx:
        assert "Propreté du Hainaut" in client.get(list_url).content.decode()
    for _ in range(6):
        ImmersionFactory(organisation=org)
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        client.get(list_url)


def test_immersion_detail_other_organisation_is_404(conseillere_client):
    immersion = ImmersionFactory()
    assert conseillere_client.get(reverse("workshops:immersion_detail", args=[immersion.pk])).status_code == 404
    assert conseillere_client.get(reverse("workshops:immersion_pdf", args=[immersion.pk])).status_code == 404


def test_dossier_timeline_and_panel(rf, django_assert_max_num_queries):
    membership = MembershipFactory(role=Role.CONSEILLERE)
    org = membership.organisation
    jeune = JeuneFactory(organisation=org)
    InscriptionFactory(
        seance__atelier__organisation=org, seance__atelier__intitule="Atelier CV", jeune=jeune, presence="present"
    )
    InscriptionFactory(seance__atelier__organisation=org, jeune=jeune)  # attendance not taken: no event
    ImmersionFactory(organisation=org, jeune=jeune, metier="Boulanger")
    events = events_for(membership.user, jeune)
    kinds = [e.kind for e in events]
    assert kinds.count("atelier") == 1
    assert kinds.count("immersion") == 1
    assert any("Atelier CV" in e.title and "présent" in e.title for e in events)
    # Another organisation's user sees nothing of it.
    outsider = MembershipFactory(role=Role.COORDINATEUR).user
    assert not [e for e in events_for(outsider, jeune) if e.kind in {"atelier", "immersion"}]

    scope = scope_for(membership.user)
    panels = {p["key"]: p for p in dossier.panels_for(DossierContext(scope=scope, jeune=jeune))}
    assert len(panels["ateliers"]["context"]["inscriptions"]) == 2
    assert panels["ateliers"]["context"]["presence_counts"]["present"] == 1
    from workshops.dossier import contribute

    fresh = type(jeune).objects.get(pk=jeune.pk)  # a new dossier page: timeline and panel share two queries
    with django_assert_max_num_queries(2):
        contribute(DossierContext(scope=scope, jeune=fresh))


def test_new_immersion_from_a_dossier_preselects_the_young_person_in_scope(client):
    membership = MembershipFactory(role=Role.CHARGE_ENTREPRISES)
    client.force_login(membership.user)
    jeune = JeuneFactory(organisation=membership.organisation)
    dossier_page = client.get(jeune.get_absolute_url()).content.decode()
    link = f"{reverse('workshops:immersion_create')}?jeune={jeune.pk}"
    assert f'href="{link}"' in dossier_page
    form = client.get(link).context["form"]
    assert form["jeune"].value() == jeune.pk
    assert re.search(rf'name="jeune" value="{jeune.pk}"[^>]*checked', client.get(link).content.decode())
    other = JeuneFactory()  # another organisation: not preselected, not offered
    assert (
        client.get(f"{reverse('workshops:immersion_create')}?jeune={other.pk}").context["form"]["jeune"].value()
        is None
    )
    assert client.get(f"{reverse('workshops:immersion_create')}?jeune=abc").status_code == 200


def test_rejected_scan_offers_no_dead_link_and_keeps_the_signed_sheet(
    conseillere_client, django_capture_on_commit_callbacks
):
    seance = SeanceFactory(atelier__organisation=conseillere_client.organisation)
    url = reverse("workshops:emargement_upload", args=[seance.pk])
    download_url = reverse("workshops:emargement_download", args=[seance.pk])
    bad = conseillere_client.post(url, {"fichier": SimpleUploadedFile("scan.pdf", b"MZ not a pdf")})
    assert bad.status_code == 422
    assert "Télécharger la feuille signée" not in bad.content.decode()
    assert download_url not in bad.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        conseillere_client.post(url, {"fichier": SimpleUploadedFile("scan.pdf", PDF_BYTES)})
    with django_capture_on_commit_callbacks(execute=True):
        again = conseillere_client.post(url, {"fichier": SimpleUploadedFile("scan2.pdf", b"MZ not a pdf")})
    assert again.status_code == 422
    assert download_url in again.content.decode()
    download = conseillere_client.get(download_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES


def test_session_names_who_runs_it_among_the_members_and_shows_in_her_agenda(conseillere_client):
    org = conseillere_client.organisation
    atelier = AtelierFactory(organisation=org, intitule="Atelier mobilité")
    collegue = MembershipFactory(organisation=org, role=Role.CONSEILLERE).user
    ailleurs = MembershipFactory(role=Role.CONSEILLERE).user  # another organisation
    url = reverse("workshops:seance_create", args=[atelier.pk])
    data = {"date": "2026-12-14", "heure_debut": "14:00", "heure_fin": "16:00", "lieu": "Salle 2", "capacite": 8}
    refused = conseillere_client.post(url, {**data, "animatrice": ailleurs.pk})
    assert refused.status_code == 200
    assert "animatrice" in refused.context["form"].errors
    assert not atelier.seances.exists()
    assert conseillere_client.post(url, {**data, "animatrice": collegue.pk}).status_code == 302
    seance = atelier.seances.get()
    assert seance.animatrice == collegue
    agenda = conseillere_client.get(reverse("agenda:agenda"), {"conseillere": collegue.pk, "date": "2026-12-14"})
    assert "Atelier mobilité" in agenda.content.decode()
