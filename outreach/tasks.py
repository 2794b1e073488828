"""E-mail notifications of the orientation workflow. They say what changed and link to the page: never case data."""

import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from core.models import Membership
from core.permissions import Record, readers_of
from outreach.models import InvitationPartenaire, Orientation
from outreach.tokens import INVITATION_MAX_AGE, email_taken_elsewhere, invitation_token


RETRY = {
    "autoretry_for": (smtplib.SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
}

SUJETS = {
    "recue": "Nouvelle orientation reçue",
    "retiree": "Orientation retirée par le partenaire",
    "en_examen": "Votre orientation est en cours d'examen",
    "acceptee": "Votre orientation a été acceptée",
    "refusee": "Votre orientation a été refusée",
    "sortante": "Un jeune vous est orienté",
    "message": "Nouveau message sur une orientation",
}


def _base_url():
    return getattr(settings, "TREMPLIN_BASE_URL", "").rstrip("/")


def _recipients(organisation_id, record, porteur_id=None):
    """E-mails of the members of ``organisation_id`` who read ``record`` (the role table); on the partner side, only
    the accounts that see the porteur's partnership (``Membership.porteurs_limites``)."""
    members = Membership.objects.active().filter(organisation_id=organisation_id, role__in=readers_of(record))
    return sorted(
        {
            email
            for email, limits in members.values_list("user__email", "porteurs_limites")
            if porteur_id is None or not limits or porteur_id in limits
        }
    )


def orientation_side(orientation, event):
    """True when the partner's side must hear about ``event`` (False: the porteur's side)."""
    partner_side = (event in {"en_examen", "acceptee", "refusee"} and orientation.est_entrante) or (
        event == "sortante"
    )
    if event == "message":
        last = orientation.messages.order_by("-created_at", "-pk").first()
        partner_side = last is not None and last.auteur_organisation_id != orientation.partenaire_id
    return partner_side


def orientation_recipients(orientation, event):
    """(e-mails, URL) of the side that must hear about ``event``."""
    if orientation_side(orientation, event):
        return (
            _recipients(orientation.partenaire_id, Record.PORTAIL, porteur_id=orientation.organisation_id),
            reverse("portal:orientation_detail", args=[orientation.pk]),
        )
    return (
        _recipients(orientation.organisation_id, Record.ORIENTATION),
        reverse("outreach:orientation_detail", args=[orientation.pk]),
    )


@shared_task(**RETRY)
def orientation_notify(orientation_id, event):
    orientation = (
        Orientation.objects.for_platform()
        .select_related("partenaire", "organisation")
        .filter(pk=orientation_id)
        .first()
    )
    if orientation is None:
        return 0
    recipients, path = orientation_recipients(orientation, event)
    if not recipients:
        return 0
    sujet = SUJETS.get(event, "Orientation mise à jour")
    corps = (
        f"Bonjour,\n\n{sujet} : orientation n° {orientation.pk} "
        f"({orientation.partenaire} → {orientation.organisation}), statut « {orientation.get_statut_display()} ».\n\n"
        f"Consultez-la dans Tremplin : {_base_url()}{path}\n\n"
        "Ce message ne contient volontairement aucune donnée personnelle.\n"
    )
    return send_mail(f"[Tremplin] {sujet}", corps, None, recipients)


@shared_task(**RETRY)
def invitation_send(invitation_id):
    invitation = (
        InvitationPartenaire.objects.for_platform()
        .select_related("partenaire", "porteur")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.accepted_at:
        return 0
    if email_taken_elsewhere(invitation.email, invitation.partenaire):
        # The inviting side was told "invitation envoyée" either way; only the address' owner learns why no link.
        corps = (
            f"Bonjour,\n\n{invitation.porteur} a voulu vous inviter sur le portail Tremplin au nom de "
            f"{invitation.partenaire}. Votre adresse est déjà celle d'un compte Tremplin : l'invitation ne peut "
            "pas lui être rattachée. Si vous devez orienter des jeunes pour ce partenaire, répondez à la personne "
            "qui vous a invité·e en lui indiquant une autre adresse.\n\n"
            "Si vous n'attendiez pas ce message, ignorez-le.\n"
        )
        return send_mail("[Tremplin] Invitation au portail des partenaires", corps, None, [invitation.email])
    path = reverse("portal:invitation_accept", args=[invitation_token(invitation)])
    corps = (
        f"Bonjour,\n\n{invitation.porteur} vous invite à utiliser le portail Tremplin au nom de "
        f"{invitation.partenaire} pour lui orienter des jeunes.\n\n"
        f"Choisissez votre mot de passe ici (lien valable {INVITATION_MAX_AGE // 86400} jours) :\n"
        f"{_base_url()}{path}\n\nSi vous n'attendiez pas ce message, ignorez-le.\n"
    )
    return send_mail("[Tremplin] Invitation au portail des partenaires", corps, None, [invitation.email])
