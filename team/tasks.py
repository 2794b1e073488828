"""The invitation e-mail (French, no case data)."""

from celery import shared_task
from django.core.mail import send_mail

from outreach.tasks import RETRY
from team.models import Invitation
from team.tokens import INVITATION_MAX_AGE


def invitation_message(invitation, link):
    """(subject, body) of the invitation e-mail: who invites, to which organisation, which role. No case data."""
    organisation = invitation.organisation
    inviter = invitation.invited_by.get_full_name() if invitation.invited_by else ""
    qui = f"{inviter} ({organisation})" if inviter else str(organisation.raison_sociale or organisation.nom)
    sujet = f"[Tremplin] Invitation à rejoindre {organisation}"
    corps = (
        f"Bonjour,\n\n{qui} vous invite à rejoindre l'équipe de {organisation.raison_sociale or organisation.nom} "
        f"sur Tremplin, avec le rôle « {invitation.get_role_display()} ».\n\n"
        f"Pour activer votre accès, ouvrez ce lien (valable {INVITATION_MAX_AGE // 86400} jours, une seule fois) :\n"
        f"{link}\n\n"
        "Vous choisirez votre mot de passe. Si vous avez déjà un compte Tremplin avec cette adresse, vous vous "
        "connecterez avec votre mot de passe habituel et cette organisation s'ajoutera à votre compte.\n\n"
        "Si vous n'attendiez pas ce message, ignorez-le : sans clic sur le lien, rien n'est créé.\n"
        "Ce message ne contient volontairement aucune donnée sur les personnes accompagnées.\n"
    )
    return sujet, corps


@shared_task(**RETRY)
def invitation_send(invitation_id, link):
    invitation = (
        Invitation.objects.for_platform()
        .pending()
        .select_related("organisation", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        return 0
    sujet, corps = invitation_message(invitation, link)
    return send_mail(sujet, corps, None, [invitation.email])
