"""Writes with side effects: conversions of contacts, the orientation workflow, partner invitations."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.accounts import normalize_email
from core.models import Membership, Organisation, Role, User
from core.permissions import Record
from notifications.models import Notification
from notifications.services import lecteurs, nom_court, notifier
from outreach.models import (
    InvitationPartenaire,
    Orientation,
    OrientationMessage,
    PartenariatOrientation,
)
from outreach.tasks import invitation_send, orientation_notify, orientation_side
from outreach.tokens import email_taken_elsewhere, invitation_from_token, invitation_token
from youth.models import Jeune
from youth.services import DUPLICATE_MESSAGE, jeune_duplicates


def _notify(orientation, event):
    """The e-mail (Celery, after commit) and, to the same people, the in-app notification (now, same transaction)."""
    notify_in_app(orientation, event)
    transaction.on_commit(lambda: orientation_notify.delay(orientation.pk, event))


TITRES = {
    "recue": "Nouvelle orientation reçue",
    "retiree": "Orientation retirée par le partenaire",
    "en_examen": "Orientation en cours d'examen",
    "acceptee": "Orientation acceptée",
    "refusee": "Orientation refusée",
    "sortante": "Un jeune vous est orienté",
    "message": "Nouveau message sur l'orientation",
}


def notify_in_app(orientation, event):
    """The bell of the side ``orientation_notify`` e-mails (``outreach.tasks.orientation_side``)."""
    titre = f"{TITRES.get(event, 'Orientation mise à jour')} : {nom_court(orientation.prenom, orientation.nom)}"
    if orientation_side(orientation, event):
        organisation_id = orientation.partenaire_id
        destinataires = lecteurs(organisation_id, Record.PORTAIL, porteur_id=orientation.organisation_id)
        url = reverse("portal:orientation_detail", args=[orientation.pk])
    else:
        organisation_id = orientation.organisation_id
        destinataires = lecteurs(organisation_id, Record.ORIENTATION)
        url = reverse("outreach:orientation_detail", args=[orientation.pk])
    kind = Notification.Kind.MESSAGE if event == "message" else Notification.Kind.ORIENTATION
    return notifier(organisation_id, destinataires, kind, titre, url)


# --- Repérage ---------------------------------------------------------------------------------------------------


@transaction.atomic
def contact_convert(*, contact, user, data, confirmer=False):
    """Create the named Jeune for an anonymous contact (origine aller-vers, repéré on the first contact date).
    A likely duplicate (``youth.services.jeune_duplicates``) is refused unless ``confirmer``."""
    if contact.jeune_id:
        raise ValidationError("Ce contact a déjà un dossier.")
    if not confirmer and jeune_duplicates(
        organisation=contact.organisation,
        nom=data.get("nom"),
        prenom=data.get("prenom"),
        date_naissance=data.get("date_naissance"),
        telephone=data.get("telephone", ""),
        email=data.get("email", ""),
    ):
        raise ValidationError(DUPLICATE_MESSAGE)
    jeune = Jeune.objects.create(
        organisation=contact.organisation,
        origine=Jeune.Origine.ALLER_VERS,
        date_reperage=contact.date_contact,
        referent=user,
        **data,
    )
    contact.jeune = jeune
    contact.converti_le = timezone.now()
    contact.save(update_fields=["jeune", "converti_le", "updated_at"])
    return jeune


# --- Orientations: duplicate check ------------------------------------------------------------------------------


def doublons_for(orientation, jeunes):
    """Young people of ``jeunes`` (already scoped) who may be the oriented person: same folded names and birth
    date, or same phone or e-mail (``youth.services.jeune_duplicates``, the one duplicate check)."""
    found = jeune_duplicates(
        organisation=orientation.organisation,
        nom=orientation.nom,
        prenom=orientation.prenom,
        date_naissance=orientation.date_naissance,
        telephone=orientation.telephone,
        email=orientation.email,
    )
    visible = set(jeunes.filter(pk__in=[j.pk for j in found]).values_list("pk", flat=True)) if found else set()
    return [j for j in found if j.pk in visible]


# --- Orientations: partner side ---------------------------------------------------------------------------------


@transaction.atomic
def orientation_submit(*, orientation, user):
    if orientation.statut != Orientation.Statut.BROUILLON:
        raise ValidationError("Seul un brouillon peut être envoyé.")
    if orientation.organisation_id is None:
        raise ValidationError("Choisissez la structure à laquelle vous orientez ce jeune.")
    if not orientation.attestation_information:
        raise ValidationError("Attestez que le jeune a été informé avant d'envoyer l'orientation.")
    if orientation.age_le(timezone.localdate()) < 18 and not orientation.attestation_representant:
        raise ValidationError("Ce jeune est mineur : attestez que son représentant légal a été informé.")
    orientation.statut = Orientation.Statut.RECUE
    orientation.soumise_le = timezone.now()
    orientation.save()
    _notify(orientation, "recue")
    return orientation


@transaction.atomic
def orientation_withdraw(*, orientation, user):
    if not orientation.est_retirable:
        raise ValidationError("Cette orientation ne peut plus être retirée.")
    was_sent = orientation.statut != Orientation.Statut.BROUILLON
    orientation.statut = Orientation.Statut.RETIREE
    orientation.save()
    if was_sent:
        _notify(orientation, "retiree")
    return orientation


@transaction.atomic
def orientation_answer(*, orientation, user, accept, motif=""):
    """The partner answers an outward orientation (porteur → partner)."""
    if orientation.est_entrante or orientation.statut not in Orientation.OUVERTES:
        raise ValidationError("Cette orientation n'attend pas de réponse.")
    if not accept and not motif.strip():
        raise ValidationError("Indiquez le motif du refus.")
    orientation.statut = Orientation.Statut.ACCEPTEE if accept else Orientation.Statut.REFUSEE
    orientation.motif_refus = "" if accept else motif.strip()
    orientation.decidee_le = timezone.now()
    orientation.decidee_par = user
    orientation.save()
    _notify(orientation, orientation.statut)
    return orientation


# --- Orientations: porteur side ---------------------------------------------------------------------------------


@transaction.atomic
def orientation_examine(*, orientation, user):
    if orientation.statut != Orientation.Statut.RECUE:
        raise ValidationError("Cette orientation n'est plus en attente.")
    orientation.statut = Orientation.Statut.EN_EXAMEN
    orientation.save()
    _notify(orientation, "en_examen")
    return orientation


@transaction.atomic
def orientation_accept(*, orientation, user, jeune=None, confirmer=False):
    """Accept an incoming orientation: link it to ``jeune`` (an existing dossier) or create the dossier (a likely
    duplicate is refused unless ``confirmer``)."""
    if not orientation.est_entrante or orientation.statut not in Orientation.OUVERTES:
        raise ValidationError("Cette orientation n'est plus en attente.")
    if jeune is None:
        if not confirmer and jeune_duplicates(
            organisation=orientation.organisation,
            nom=orientation.nom,
            prenom=orientation.prenom,
            date_naissance=orientation.date_naissance,
            telephone=orientation.telephone,
            email=orientation.email,
        ):
            raise ValidationError(
                "Un dossier existe peut-être déjà pour cette personne : rattachez l'orientation à ce dossier, "
                "ou confirmez la création d'un nouveau dossier."
            )
        jeune = Jeune.objects.create(
            organisation=orientation.organisation,
            nom=orientation.nom,
            prenom=orientation.prenom,
            sexe=orientation.sexe,
            date_naissance=orientation.date_naissance,
            telephone=orientation.telephone,
            email=orientation.email,
            adresse=orientation.adresse,
            code_postal=orientation.code_postal,
            commune=orientation.commune,
            representant_legal_nom=orientation.representant_legal_nom,
            representant_legal_telephone=orientation.representant_legal_telephone,
            statut=Jeune.Statut.REPERE,
            origine=Jeune.Origine.PARTENAIRE,
            organisation_orienteuse=orientation.partenaire,
            date_reperage=timezone.localdate(orientation.soumise_le)
            if orientation.soumise_le
            else timezone.localdate(),
            referent=user,
        )
    elif jeune.organisation_id != orientation.organisation_id:
        raise ValidationError("Ce dossier n'appartient pas à votre structure.")
    elif not jeune.organisation_orienteuse_id:
        jeune.organisation_orienteuse = orientation.partenaire
        jeune.save(update_fields=["organisation_orienteuse", "updated_at"])
    orientation.jeune = jeune
    orientation.statut = Orientation.Statut.ACCEPTEE
    orientation.decidee_le = timezone.now()
    orientation.decidee_par = user
    orientation.motif_refus = ""
    orientation.save()
    _notify(orientation, "acceptee")
    return jeune


@transaction.atomic
def orientation_decline(*, orientation, user, motif):
    if not orientation.est_entrante or orientation.statut not in Orientation.OUVERTES:
        raise ValidationError("Cette orientation n'est plus en attente.")
    if not (motif or "").strip():
        raise ValidationError("Indiquez le motif du refus : il est transmis au partenaire.")
    orientation.statut = Orientation.Statut.REFUSEE
    orientation.motif_refus = motif.strip()
    orientation.decidee_le = timezone.now()
    orientation.decidee_par = user
    orientation.save()
    _notify(orientation, "refusee")
    return orientation


@transaction.atomic
def orientation_send(*, porteur, partenaire, jeune, user, motif, attentes="", urgence=Orientation.Urgence.NORMALE):
    """Outward orientation: the porteur orients one of its young people to a partner (e.g. the CEJ)."""
    if jeune.organisation_id != porteur.pk:
        raise ValidationError("Ce jeune n'est pas suivi par votre structure.")
    orientation = Orientation.objects.create(
        organisation=porteur,
        partenaire=partenaire,
        sens=Orientation.Sens.SORTANTE,
        statut=Orientation.Statut.RECUE,
        nom=jeune.nom,
        prenom=jeune.prenom,
        sexe=jeune.sexe,
        date_naissance=jeune.date_naissance,
        telephone=jeune.telephone,
        email=jeune.email,
        commune=jeune.commune,
        motif=motif,
        attentes=attentes,
        urgence=urgence,
        attestation_information=True,
        attestation_representant=True,
        jeune=jeune,
        created_by=user,
        soumise_le=timezone.now(),
    )
    _notify(orientation, "sortante")
    return orientation


@transaction.atomic
def orientation_message_post(*, orientation, user, organisation, texte):
    if not (texte or "").strip():
        raise ValidationError("Le message est vide.")
    message = OrientationMessage.objects.create(
        orientation=orientation, auteur=user, auteur_organisation=organisation, texte=texte.strip()
    )
    if organisation.pk == orientation.organisation_id and orientation.statut == Orientation.Statut.RECUE:
        orientation.statut = Orientation.Statut.EN_EXAMEN
        orientation.save()
    _notify(orientation, "message")
    return message


# --- Partner accounts -------------------------------------------------------------------------------------------


@transaction.atomic
def may_invite_full_account(*, porteur, partenaire):
    """The partner trust model (docs/security.md): a porteur invites the *first* account of a partner it created,
    which then sees the whole partner organisation; every other account it invites sees this partnership only."""
    return partenaire.cree_par_id == porteur.pk and not partenaire.memberships.filter(is_active=True).exists()


@transaction.atomic
def partenaire_invite(*, porteur, partenaire, email, user, first_name="", last_name=""):
    """Invite a partner user. Always the same outcome for the inviting side, whether the address has an
    account elsewhere or not: the invitation is recorded and an e-mail leaves. For an address of another
    organisation, that e-mail carries no link (``invitation_send``) and the link would be refused anyway
    (``invitation_from_token``), so no account of another organisation is attached or disclosed."""
    if partenaire.kind != Organisation.Kind.PARTENAIRE:
        raise ValidationError("Cette organisation n'est pas un partenaire orienteur.")
    if not PartenariatOrientation.objects.for_organisation(porteur).actifs().filter(partenaire=partenaire).exists():
        raise ValidationError("Aucun partenariat actif avec cette organisation.")
    invitation = InvitationPartenaire.objects.create(
        porteur=porteur,
        partenaire=partenaire,
        email=normalize_email(email),
        first_name=first_name,
        last_name=last_name,
        invited_by=user,
        acces_complet=may_invite_full_account(porteur=porteur, partenaire=partenaire),
    )
    transaction.on_commit(lambda: invitation_send.delay(invitation.pk))
    return invitation


@transaction.atomic
def invitation_accept(*, invitation, password, first_name="", last_name=""):
    if email_taken_elsewhere(invitation.email, invitation.partenaire):
        raise ValidationError("Cette invitation n'est plus valable.")
    user = User.objects.get_by_email(invitation.email)
    if user is None:
        user = User.objects.create_user(
            invitation.email,
            password,
            first_name=first_name or invitation.first_name,
            last_name=last_name or invitation.last_name,
        )
    else:
        user.set_password(password)
        user.is_active = True
        user.save()
    membership = Membership.objects.filter(user=user, organisation=invitation.partenaire).first()
    if membership is None:
        membership = Membership(user=user, organisation=invitation.partenaire, role=Role.PARTENAIRE)
        membership.porteurs_limites = [] if invitation.acces_complet else [invitation.porteur_id]
    elif membership.porteurs_limites and not invitation.acces_complet:  # limited: add this partnership
        membership.porteurs_limites = sorted({*membership.porteurs_limites_ids, invitation.porteur_id})
    elif invitation.acces_complet:
        membership.porteurs_limites = []
    membership.role, membership.is_active = Role.PARTENAIRE, True
    membership.save()
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    return user


def porteur_manages(*, porteur, membership):
    """A porteur manages only the partner accounts limited to its own partnership (never the partner's own staff)."""
    return membership.role == Role.PARTENAIRE and porteur.pk in membership.porteurs_limites_ids


@transaction.atomic
def partenaire_access_toggle(*, porteur, membership):
    """End (or restore) the access of a partner account to this porteur's partnership. An account limited to this
    porteur alone is deactivated; one limited to several porteurs loses this one only. Returns True when access
    is granted after the call."""
    if not porteur_manages(porteur=porteur, membership=membership):
        raise ValidationError("Ce compte est géré par sa structure, pas par la vôtre.")
    if membership.porteurs_limites_ids == [porteur.pk]:
        membership.is_active = not membership.is_active
        membership.save(update_fields=["is_active"])
        return membership.is_active
    membership.porteurs_limites = [pk for pk in membership.porteurs_limites_ids if pk != porteur.pk]
    membership.save(update_fields=["porteurs_limites"])
    return False


@transaction.atomic
def partenariat_toggle(*, partenariat):
    """A porteur ends (or resumes) its partnership; the partner's accounts stay the partner's."""
    partenariat.is_active = not partenariat.is_active
    partenariat.save(update_fields=["is_active"])
    return partenariat


__all__ = ["invitation_from_token", "invitation_token"]  # the invitation link (outreach.tokens), for the views
