"""In-app notifications: the service, the scope (each user their own, in the current organisation), the bell, the
pages, the digest, and the sources (orientations, bilan jobs, a missed rendez-vous)."""

import io
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from agenda.models import RendezVous
from agenda.signals import rendez_vous_statut_change
from core.models import Role
from notifications.models import Notification, PreferenceNotification
from notifications.services import envoyer_resumes, est_interne, lecteurs, nom_court, notifier
from outreach import services as outreach_services
from reports import services as reports_services
from reports.models import BilanJob
from tests.authz import client_in
from tests.core.factories import MembershipFactory
from tests.funding.factories import OperationFactory
from tests.home.factories import NotificationFactory, RendezVousFactory
from tests.outreach.factories import OrientationFactory, PartenariatFactory
from tests.youth.factories import JeuneFactory


pytestmark = pytest.mark.django_db


def test_notifier_reaches_active_members_of_the_organisation_only(world):
    conseillere = world.users_a[Role.CONSEILLERE]
    outsider = world.intruders[0]
    created = notifier(world.org_a, [conseillere, outsider, conseillere.pk], "orientation", "Titre", "/jeunes/")
    assert [n.destinataire_id for n in created] == [conseillere.pk]


@pytest.mark.parametrize("url", ["https://exemple.fr/", "//exemple.fr/x", "/\\exemple.fr", "jeunes/", "javascript:x"])
def test_notifier_refuses_a_link_outside_the_site(world, url):
    assert not est_interne(url)
    with pytest.raises(ValueError, match="non interne"):
        notifier(world.org_a, [world.users_a[Role.CONSEILLERE]], "orientation", "Titre", url)


def test_a_title_is_short_and_names_a_young_person_by_first_name_and_initial(world):
    assert nom_court("Léa", "Martin") == "Léa M."
    [n] = notifier(world.org_a, [world.users_a[Role.CONSEILLERE]], "message", "x " * 200, "/")
    assert len(n.titre) == 160


def test_lecteurs_follow_the_role_table(world):
    from core.permissions import Record

    assert set(lecteurs(world.org_a, Record.ORIENTATION)) == {
        world.users_a[Role.CONSEILLERE],
        world.users_a[Role.COORDINATEUR],
        world.two_org_staff,
    }


def test_a_user_reads_only_their_own_notifications_in_the_current_organisation(client, world):
    conseillere, coordination = world.users_a[Role.CONSEILLERE], world.users_a[Role.COORDINATEUR]
    mine = NotificationFactory(organisation=world.org_a, destinataire=conseillere, titre="Pour moi")
    theirs = NotificationFactory(organisation=world.org_a, destinataire=coordination, titre="Pour la coordination")
    client.force_login(conseillere)
    page = client.get("/notifications/").content.decode()
    assert "Pour moi" in page
    assert "Pour la coordination" not in page
    assert client.get(f"/notifications/{theirs.pk}/").status_code == 404  # another user's id
    theirs.refresh_from_db()
    assert theirs.lu_le is None
    assert client.get(f"/notifications/{mine.pk}/").status_code == 302


def test_a_two_organisation_user_sees_the_notifications_of_the_current_one(world):
    user = world.two_org_staff
    in_a = NotificationFactory(organisation=world.org_a, destinataire=user, titre="Dans A")
    NotificationFactory(organisation=world.org_b, destinataire=user, titre="Dans B")
    in_b = client_in(user, world.org_b)
    page = in_b.get("/notifications/").content.decode()
    assert "Dans B" in page
    assert "Dans A" not in page
    assert in_b.get(f"/notifications/{in_a.pk}/").status_code == 404
    assert 'data-testid="notifications-unread">1<' in page


def test_opening_marks_read_and_follows_the_link_and_the_bell_counts_the_unread(client, world):
    conseillere = world.users_a[Role.CONSEILLERE]
    first = NotificationFactory(
        organisation=world.org_a, destinataire=conseillere, url="/jeunes/?a_faire=sans_contact"
    )
    NotificationFactory(organisation=world.org_a, destinataire=conseillere)
    client.force_login(conseillere)
    assert 'data-testid="notifications-unread">2<' in client.get("/notifications/").content.decode()
    response = client.get(f"/notifications/{first.pk}/")
    assert response.status_code == 302
    assert response["Location"] == "/jeunes/?a_faire=sans_contact"
    first.refresh_from_db()
    assert first.lu_le is not None
    assert 'data-testid="notifications-unread">1<' in client.get("/notifications/").content.decode()
    response = client.post("/notifications/tout-lu/", follow=True)
    assert "1 notification marquée comme lue" in response.content.decode()
    assert 'data-testid="notifications-unread"' not in response.content.decode()
    assert not Notification.objects.filter(destinataire=conseillere, lu_le__isnull=True).exists()


def test_an_external_link_written_around_the_service_is_not_followed(client, world):
    conseillere = world.users_a[Role.CONSEILLERE]
    bad = NotificationFactory(organisation=world.org_a, destinataire=conseillere, url="https://exemple.fr/")
    client.force_login(conseillere)
    assert client.get(f"/notifications/{bad.pk}/")["Location"] == "/notifications/"


def test_mark_all_read_leaves_the_others_alone(client, world):
    other = NotificationFactory(organisation=world.org_a, destinataire=world.users_a[Role.COORDINATEUR])
    client.force_login(world.users_a[Role.CONSEILLERE])
    assert client.get("/notifications/tout-lu/").status_code == 405
    client.post("/notifications/tout-lu/")
    other.refresh_from_db()
    assert other.lu_le is None


def test_the_list_paginates(client, world):
    conseillere = world.users_a[Role.CONSEILLERE]
    NotificationFactory.create_batch(35, organisation=world.org_a, destinataire=conseillere)
    client.force_login(conseillere)
    response = client.get("/notifications/?page=2")
    assert len(response.context["page"].object_list) == 5


def test_a_partner_has_a_bell_too(client, world):
    partner = world.users_a[Role.PARTENAIRE]
    NotificationFactory(organisation=world.partner_a, destinataire=partner, titre="Orientation acceptée : Léa M.")
    client.force_login(partner)
    assert "Orientation acceptée : Léa M." in client.get("/notifications/").content.decode()


# --- digest ------------------------------------------------------------------------------------------------------


def test_the_daily_digest_counts_without_titles_and_is_not_sent_twice(client, world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    conseillere = world.users_a[Role.CONSEILLERE]
    client.force_login(conseillere)
    client.post("/notifications/preferences/", {"resume_quotidien": "on"})
    assert PreferenceNotification.objects.get(user=conseillere).resume_quotidien
    NotificationFactory.create_batch(2, organisation=world.org_a, destinataire=conseillere, titre="Léa M. secret")
    NotificationFactory(organisation=world.org_a, destinataire=world.users_a[Role.COORDINATEUR])  # not subscribed
    assert envoyer_resumes() == 1
    [message] = mail.outbox
    assert message.to == [conseillere.email]
    assert "2 notifications non lues" in message.body
    assert "Léa" not in message.body
    assert envoyer_resumes() == 0  # nothing new since
    NotificationFactory(organisation=world.org_a, destinataire=conseillere)
    out = io.StringIO()
    call_command("envoyer_resume_notifications", stdout=out)
    assert out.getvalue().strip() == "1 résumé envoyé."
    assert len(mail.outbox) == 2


def test_the_digest_runs_every_morning(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["resume-des-notifications"]
    assert entry["task"] == "notifications.tasks.envoyer_resumes_quotidiens"


# --- sources -----------------------------------------------------------------------------------------------------


def _orientation(world, **kwargs):
    PartenariatFactory(porteur=world.org_a, partenaire=world.partner_a)
    return OrientationFactory(organisation=world.org_a, partenaire=world.partner_a, **kwargs)


def test_a_new_orientation_and_a_partners_message_ring_the_porteurs_readers(world, django_capture_on_commit_callbacks):
    orientation = _orientation(world, brouillon=True, prenom="Léa", nom="Martin")
    with django_capture_on_commit_callbacks():
        outreach_services.orientation_submit(orientation=orientation, user=world.users_a[Role.PARTENAIRE])
    received = Notification.objects.filter(organisation=world.org_a, kind="orientation")
    assert {n.destinataire for n in received} == set(lecteurs(world.org_a, "orientation"))
    assert {n.titre for n in received} == {"Nouvelle orientation reçue : Léa M."}
    assert {n.url for n in received} == {f"/reperage/orientations/{orientation.pk}/"}
    assert "Martin" not in received.first().titre
    with django_capture_on_commit_callbacks():
        outreach_services.orientation_message_post(
            orientation=orientation,
            user=world.users_a[Role.PARTENAIRE],
            organisation=world.partner_a,
            texte="Elle est disponible lundi.",
        )
    assert Notification.objects.filter(organisation=world.org_a, kind="message").count() == 3


def test_the_porteurs_answer_rings_the_partner(world, django_capture_on_commit_callbacks):
    orientation = _orientation(world)
    with django_capture_on_commit_callbacks():
        outreach_services.orientation_decline(
            orientation=orientation, user=world.users_a[Role.COORDINATEUR], motif="Hors critères d'âge."
        )
    answered = Notification.objects.filter(organisation=world.partner_a)
    assert {n.destinataire for n in answered} == {world.users_a[Role.PARTENAIRE], world.two_org_partner}
    assert {n.url for n in answered} == {f"/portail/orientations/{orientation.pk}/"}
    assert not Notification.objects.filter(organisation=world.org_a).exists()


def _job(world, user):
    operation = OperationFactory(organisation=world.org_a)
    return BilanJob.objects.create(
        organisation=world.org_a, operation=operation, du=date(2026, 1, 1), au=date(2026, 6, 30), created_by=user
    )


def test_a_finished_bilan_pdf_rings_who_launched_it(world, monkeypatch):
    import reports.pdf

    monkeypatch.setattr(reports.pdf, "render_bilan_pdf", lambda *args, **kwargs: b"%PDF-1.4 test")
    coordination = world.users_a[Role.COORDINATEUR]
    job = _job(world, coordination)
    reports_services.bilan_job_run(job_id=job.pk)
    [n] = Notification.objects.filter(destinataire=coordination)
    assert n.kind == "travail"
    assert n.titre.startswith(f"Bilan PDF {job.operation.code} prêt")
    assert n.url == f"/bilans/travaux/{job.pk}/"


def test_a_failed_bilan_pdf_rings_once(world):
    coordination = world.users_a[Role.COORDINATEUR]
    job = _job(world, coordination)
    reports_services.bilan_job_fail(job_id=job.pk, error="boom")
    reports_services.bilan_job_fail(job_id=job.pk, error="boom again")
    [n] = Notification.objects.filter(destinataire=coordination)
    assert n.titre.startswith("Échec du bilan PDF")


def test_a_missed_rendez_vous_rings_the_referent_unless_she_marked_it(world):
    referent = world.users_a[Role.CONSEILLERE]
    collegue = MembershipFactory(organisation=world.org_a, role=Role.CONSEILLERE).user
    jeune = JeuneFactory(organisation=world.org_a, referent=referent, prenom="Inès", nom="Bernard")
    rdv = RendezVousFactory(jeune=jeune, conseillere=collegue, debut=timezone.now() - timedelta(hours=2))
    rdv.statut = RendezVous.Statut.MANQUE
    rdv._history_user = collegue
    rdv.save()
    rendez_vous_statut_change.send(sender=RendezVous, rendez_vous=rdv, ancien="planifie", nouveau="manque")
    [n] = Notification.objects.filter(destinataire=referent)
    assert n.titre.startswith("Rendez-vous manqué : Inès B.")
    assert n.url == f"/jeunes/{jeune.pk}/"
    # marked by the referent herself, or a status other than missed: nothing
    rendez_vous_statut_change.send(
        sender=RendezVous, rendez_vous=rdv, ancien="planifie", nouveau="manque", user=referent
    )
    rendez_vous_statut_change.send(sender=RendezVous, rendez_vous=rdv, ancien="planifie", nouveau="honore")
    assert Notification.objects.filter(destinataire=referent).count() == 1
