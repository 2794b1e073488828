import csv
import io
from datetime import date

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from outreach.models import Orientation
from tests.outreach.factories import OrientationFactory, OrientationMessageFactory
from tests.youth.factories import JeuneFactory, ParticipationFactory


pytestmark = pytest.mark.django_db


def _form_data(reseau, **overrides):
    data = {
        "organisation": reseau.porteur.pk,
        "nom": "Dupont",
        "prenom": "Éloïse",
        "sexe": "F",
        "date_naissance": "2003-02-14",
        "telephone": "06 12 12 12 12",
        "email": "",
        "motif": "Souhaite un accompagnement vers l'emploi.",
        "situation": "Sans emploi depuis sa sortie de lycée.",
        "attentes": "Trouver une formation.",
        "urgence": "normale",
        "attestation_information": "on",
    }
    data.update(overrides)
    return data


def test_partner_submits_an_orientation_and_the_porteur_is_notified(
    client, reseau, django_capture_on_commit_callbacks
):
    client.force_login(reseau.partenaire_capep)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:orientation_create"), _form_data(reseau, envoyer="1"))
    orientation = Orientation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:orientation_detail", args=[orientation.pk])
    assert orientation.statut == Orientation.Statut.RECUE
    assert orientation.partenaire == reseau.capep
    assert orientation.organisation == reseau.porteur
    assert orientation.soumise_le is not None
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {reseau.conseillere.email, reseau.coordinatrice.email}
    assert "Dupont" not in mail.outbox[0].body  # no personal data in e-mails


def test_orientation_draft_then_submit(client, reseau):
    client.force_login(reseau.partenaire_capep)
    client.post(reverse("portal:orientation_create"), _form_data(reseau, brouillon="1"))
    orientation = Orientation.objects.get()
    assert orientation.statut == Orientation.Statut.BROUILLON
    # A porteur does not see the partner's drafts
    client.force_login(reseau.conseillere)
    assert client.get(reverse("outreach:orientation_detail", args=[orientation.pk])).status_code == 404
    client.force_login(reseau.partenaire_capep)
    response = client.post(reverse("portal:orientation_edit", args=[orientation.pk]), _form_data(reseau, nom="Durand"))
    orientation.refresh_from_db()
    assert orientation.nom == "Durand"
    assert orientation.statut == Orientation.Statut.BROUILLON
    client.post(reverse("portal:orientation_submit", args=[orientation.pk]))
    orientation.refresh_from_db()
    assert orientation.statut == Orientation.Statut.RECUE
    # No longer editable once sent
    response = client.post(reverse("portal:orientation_edit", args=[orientation.pk]), _form_data(reseau, nom="Autre"))
    assert response.status_code == 302
    orientation.refresh_from_db()
    assert orientation.nom == "Durand"


def test_attestation_is_required_to_send_and_form_keeps_input(client, reseau):
    client.force_login(reseau.partenaire_capep)
    data = _form_data(reseau, envoyer="1")
    del data["attestation_information"]
    response = client.post(reverse("portal:orientation_create"), data)
    assert response.status_code == 200
    assert not Orientation.objects.exists()
    content = response.content.decode()
    assert "Attestez que le jeune a été informé" in content
    assert 'value="Dupont"' in content


def test_sending_shows_every_error_in_one_round(client, reseau):
    client.force_login(reseau.partenaire_capep)
    data = _form_data(reseau, envoyer="1", nom="")
    del data["attestation_information"]
    response = client.post(reverse("portal:orientation_create"), data)
    content = response.content.decode()
    assert "Ce champ est obligatoire" in content  # the field error…
    assert "Attestez que le jeune a été informé" in content  # …and the sending check, at once
    assert not Orientation.objects.exists()


def test_minor_requires_guardian_and_guardian_attestation(client, reseau):
    client.force_login(reseau.partenaire_capep)
    today = timezone.localdate()
    dob = date(today.year - 17, 1, 1).isoformat()
    response = client.post(reverse("portal:orientation_create"), _form_data(reseau, date_naissance=dob, envoyer="1"))
    assert response.status_code == 200
    assert "indiquez son représentant légal" in response.content.decode()
    response = client.post(
        reverse("portal:orientation_create"),
        _form_data(reseau, date_naissance=dob, representant_legal_nom="M. Dupont", envoyer="1"),
    )
    assert response.status_code == 200
    assert "attestez que son représentant a été informé" in response.content.decode()
    assert not Orientation.objects.exists()
    client.post(
        reverse("portal:orientation_create"),
        _form_data(
            reseau, date_naissance=dob, representant_legal_nom="M. Dupont", attestation_representant="on", envoyer="1"
        ),
    )
    assert Orientation.objects.get().statut == Orientation.Statut.RECUE


def test_partner_can_only_orient_to_linked_porteurs(client, reseau):
    client.force_login(reseau.partenaire_capep)
    response = client.post(
        reverse("portal:orientation_create"), _form_data(reseau, organisation=reseau.autre_porteur.pk, envoyer="1")
    )
    assert response.status_code == 200
    assert not Orientation.objects.exists()


def test_withdraw(client, reseau):
    orientation = OrientationFactory(organisation=reseau.porteur, partenaire=reseau.capep)
    client.force_login(reseau.partenaire_capep)
    client.post(reverse("portal:orientation_withdraw", args=[orientation.pk]))
    orientation.refresh_from_db()
    assert orientation.statut == Orientation.Statut.RETIREE


def test_other_partner_gets_404_everywhere(client, reseau):
    orientation = OrientationFactory(organisation=reseau.porteur, partenaire=reseau.capep, nom="Secretnom")
    client.force_login(reseau.partenaire_cao)
    for name in (
        "portal:orientation_detail",
        "portal:orientation_edit",
        "portal:orientation_submit",
        "portal:orientation_withdraw",
        "portal:orientation_message",
        "portal:document_add",
        "portal:orientation_answer",
    ):
        assert client.get(reverse(name, args=[orientation.pk])).status_code == 404, name
        assert client.post(reverse(name, args=[orientation.pk])).status_code == 404, name
    for url in (
        reverse("portal:home"),
        reverse("portal:home") + "?q=Secret",
        reverse("portal:export_csv"),
        reverse("portal:export_csv") + "?q=Secret",
        reverse("portal:recues"),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert "Secretnom".upper() not in response.content.decode().upper()
    orientation.refresh_from_db()
    assert orientation.statut == Orientation.Statut.RECUE


def test_staff_cannot_use_the_portal(client, reseau):
    client.force_login(reseau.conseillere)
    assert client.get(reverse("portal:home")).status_code == 403


def test_home_lists_own_orientations_with_feedback_and_stats(client, reseau):
    acceptee = OrientationFactory(organisation=reseau.porteur, partenaire=reseau.capep, statut="acceptee")
    jeune = JeuneFactory(organisation=reseau.porteur)
    acceptee.jeune = jeune
    acceptee.save()
    ParticipationFactory(jeune=jeune, entree=True, date_sortie=date(2025, 9, 1), situation_sortie="alternance")
    en_parcours = OrientationFactory(organisation=reseau.porteur, partenaire=reseau.capep, statut="acceptee")
    en_parcours.jeune = JeuneFactory(organisation=reseau.porteur)
    en_parcours.save()
    ParticipationFactory(jeune=en_parcours.jeune, entree=True)
    OrientationFactory(organisation=reseau.porteur, partenaire=reseau.capep, statut="refusee", motif_refus="Hors âge")
    OrientationFactory(organisation=reseau.porteur, partenaire=reseau.cao)  # other partner: not counted
    client.force_login(reseau.partenaire_capep)
    response = client.get(reverse("portal:home"))
    stats = response.context["stats"]
    assert stats["envoyees"] == 3
    assert stats["acceptees"] == 2
    assert stats["refusees"] == 1
    assert stats["entrees"] == 2
    assert stats["sorties_total"] == 1
    assert dict(stats["sorties"])["Formation"] == 1
    suivis = {o.pk: o.suivi[0] for o in response.context["page"]}
    assert suivis[acceptee.pk] == "sortie_formation"
    assert suivis[en_parcours.pk] == "en_parcours"
    content = response.content.decode()
    assert "Sorti·e — Formation" in content
    assert "Entré·e en parcours" in content


def test_detail_never_shows_dossier_content(client, reseau):
    jeune = JeuneFactory(organisation=reseau.porteur, adresse="12 rue Secrète")
    orientation = OrientationFactory(
        organisation=reseau.porteur, partenaire=reseau.capep, statut="acceptee", jeune=jeune
    )
    ParticipationFactory(jeune=jeune, entree=True, date_sortie=date(2025, 9, 1), situation_sortie="emploi_cdi")
    client.force_login(reseau.partenaire_capep)
    response = client.get(reverse("portal:orientation_detail", args=[orientation.pk]))
    content = response.content.decode()
    assert "Sorti·e — Emploi" in content
    assert "Emploi en CDI" not in content  # only the category, not the situation
    assert "rue Secrète" not in content
    assert f"/jeunes/{jeune.pk}/" not in content


def test_export_csv_only_own_orientations(client, reseau):
    OrientationFactory(organisation=reseau.porteur, partenaire=reseau.capep, nom="Martin")
    OrientationFactory(organisation=reseau.porteur, partenaire=reseau.cao, nom="Autrepartenaire")
    client.force_login(reseau.partenaire_capep)
    response = client.get(reverse("portal:export_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][1] == "nom"
    assert [r[1] for r in rows[1:]] == ["Martin"]


def test_document_upload_and_download(client, reseau):
    orientation = OrientationFactory(organisation=reseau.porteur, partenaire=reseau.capep)
    client.force_login(reseau.partenaire_capep)
    upload = SimpleUploadedFile("consentement.pdf", b"%PDF-1.4 consentement", content_type="application/pdf")
    client.post(reverse("portal:document_add", args=[orientation.pk]), {"libelle": "Consentement", "fichier": upload})
    document = orientation.documents.get()
    response = client.get(reverse("portal:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    # the porteur can read it too; another partner cannot
    client.force_login(reseau.conseillere)
    response = client.get(reverse("outreach:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(reseau.partenaire_cao)
    assert client.get(reverse("portal:document_download", args=[document.pk])).status_code == 404
    # a fake PDF is refused
    client.force_login(reseau.partenaire_capep)
    bad = SimpleUploadedFile("virus.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(
        reverse("portal:document_add", args=[orientation.pk]), {"libelle": "Attestation CAF", "fichier": bad}
    )
    assert response.status_code == 422
    content = response.content.decode()
    assert "Format de fichier non accepté" in content
    assert 'value="Attestation CAF"' in content  # the description typed is kept
    assert 'id="erreurs-formulaire"' in content
    assert orientation.documents.count() == 1


def test_message_thread_both_sides(client, reseau, django_capture_on_commit_callbacks):
    orientation = OrientationFactory(organisation=reseau.porteur, partenaire=reseau.capep)
    client.force_login(reseau.conseillere)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("outreach:orientation_message", args=[orientation.pk]), {"texte": "Quel est son niveau ?"})
    orientation.refresh_from_db()
    assert orientation.statut == Orientation.Statut.EN_EXAMEN
    assert mail.outbox[-1].to == [reseau.partenaire_capep.email]
    client.force_login(reseau.partenaire_capep)
    response = client.get(reverse("portal:orientation_detail", args=[orientation.pk]))
    assert "Quel est son niveau ?" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:orientation_message", args=[orientation.pk]), {"texte": "CAP cuisine."})
    assert reseau.conseillere.email in mail.outbox[-1].to
    client.force_login(reseau.conseillere)
    assert "CAP cuisine." in client.get(reverse("outreach:orientation_detail", args=[orientation.pk])).content.decode()


def test_outward_orientation_answered_by_partner(client, reseau, django_capture_on_commit_callbacks):
    jeune = JeuneFactory(organisation=reseau.porteur, nom="Sortant")
    client.force_login(reseau.conseillere)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("outreach:orientation_sortante_create"),
            {
                "jeune": jeune.pk,
                "partenaire": reseau.capep.pk,
                "motif": "Entrée en CEJ",
                "urgence": "normale",
                "information": "on",
            },
        )
    orientation = Orientation.objects.get(sens="sortante")
    assert response.status_code == 302
    assert mail.outbox[-1].to == [reseau.partenaire_capep.email]
    client.force_login(reseau.partenaire_capep)
    assert "SORTANT" in client.get(reverse("portal:recues")).content.decode()
    assert (
        reverse("portal:orientation_detail", args=[orientation.pk])
        not in client.get(reverse("portal:home")).content.decode()
    )
    response = client.post(reverse("portal:orientation_answer", args=[orientation.pk]), {"decision": "refusee"})
    orientation.refresh_from_db()
    assert orientation.statut == Orientation.Statut.RECUE  # motif required
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:orientation_answer", args=[orientation.pk]), {"decision": "acceptee"})
    orientation.refresh_from_db()
    assert orientation.statut == Orientation.Statut.ACCEPTEE
    assert reseau.conseillere.email in mail.outbox[-1].to
    # the other partner sees nothing of it
    client.force_login(reseau.partenaire_cao)
    assert "SORTANT" not in client.get(reverse("portal:recues")).content.decode()


def test_outward_orientation_only_to_linked_partner_and_own_jeune(client, reseau):
    other_jeune = JeuneFactory(organisation=reseau.autre_porteur)
    client.force_login(reseau.conseillere)
    response = client.post(
        reverse("outreach:orientation_sortante_create"),
        {
            "jeune": other_jeune.pk,
            "partenaire": reseau.capep.pk,
            "motif": "x",
            "urgence": "normale",
            "information": "on",
        },
    )
    assert response.status_code == 200
    assert not Orientation.objects.exists()


def test_portal_home_query_count_is_bounded(client, reseau, django_assert_max_num_queries):
    def make(n):
        for _ in range(n):
            jeune = JeuneFactory(organisation=reseau.porteur)
            o = OrientationFactory(
                organisation=reseau.porteur, partenaire=reseau.capep, statut="acceptee", jeune=jeune
            )
            ParticipationFactory(jeune=jeune, entree=True)
            OrientationMessageFactory(orientation=o)

    make(3)
    client.force_login(reseau.partenaire_capep)
    url = reverse("portal:home")
    with django_assert_max_num_queries(15) as ctx:
        client.get(url)
    baseline = len(ctx.captured_queries)
    make(15)
    with django_assert_max_num_queries(baseline):
        client.get(url)
    with django_assert_max_num_queries(baseline):
        client.get(reverse("portal:export_csv"))


def test_portal_detail_query_count_is_bounded(client, reseau, django_assert_max_num_queries):
    jeune = JeuneFactory(organisation=reseau.porteur)
    orientation = OrientationFactory(
        organisation=reseau.porteur, partenaire=reseau.capep, statut="acceptee", jeune=jeune
    )
    ParticipationFactory(jeune=jeune, entree=True)
    OrientationMessageFactory(orientation=orientation)
    client.force_login(reseau.partenaire_capep)
    url = reverse("portal:orientation_detail", args=[orientation.pk])
    with django_assert_max_num_queries(14) as ctx:
        client.get(url)
    baseline = len(ctx.captured_queries)
    for _ in range(10):
        OrientationMessageFactory(orientation=orientation, auteur=reseau.partenaire_capep)
    with django_assert_max_num_queries(baseline):
        client.get(url)


def test_export_neutralises_formulas(client, reseau):
    OrientationFactory(organisation=reseau.porteur, partenaire=reseau.capep, nom="=HYPERLINK(1)")
    client.force_login(reseau.partenaire_capep)
    rows = list(
        csv.reader(io.StringIO(client.get(reverse("portal:export_csv")).content.decode("utf-8-sig")), delimiter=";")
    )
    assert rows[1][1] == "'=HYPERLINK(1)"
