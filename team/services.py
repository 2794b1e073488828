"""Writes of team management and platform onboarding. Each change leaves an ``EvenementEquipe`` (audit log)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.accounts import normalize_email
from core.models import Membership, Organisation, User
from core.roles import STAFF_ROLES, Role
from team.models import EvenementEquipe, Invitation
from team.tasks import invitation_send
from team.tokens import INVITATION_MAX_AGE, new_token


K = EvenementEquipe.Kind


def roles_for(organisation):
    """The roles a member of ``organisation`` may have: staff roles in a porteur, the partner role in a partner."""
    return (Role.PARTENAIRE,) if organisation.kind == Organisation.Kind.PARTENAIRE else STAFF_ROLES


def role_choices(organisation):
    return [(value, label) for value, label in Role.choices if value in roles_for(organisation)]


def record(organisation, kind, *, acteur=None, membre=None, email="", detail=""):
    return EvenementEquipe.objects.create(
        organisation=organisation,
        kind=kind,
        acteur=acteur,
        membre=membre,
        email=email or (membre.email if membre else ""),
        detail=detail[:300],
    )


def invitation_link(token, base_url=""):
    return f"{base_url.rstrip('/')}{reverse('team:invitation_accept', args=[token])}"


def _send(invitation, token, base_url):
    link = invitation_link(token, base_url)
    transaction.on_commit(lambda: invitation_send.delay(invitation.pk, link))
    return link


def _role_label(role):
    return Role(role).label


@transaction.atomic
def invitation_create(*, organisation, email, role, invited_by=None, first_name="", last_name="", base_url=""):
    """Invite ``email`` into ``organisation`` with ``role``. Returns (invitation, link). The same outcome whether
    the address has an account elsewhere or not (nothing about other organisations is disclosed): on acceptance
    such a person adds this membership to her account and keeps her password."""
    email = normalize_email(email)
    if role not in roles_for(organisation):
        raise ValidationError("Ce rôle n'existe pas dans ce type d'organisation.")
    if Membership.objects.filter(organisation=organisation, user__email=email, is_active=True).exists():
        raise ValidationError("Cette personne fait déjà partie de l'équipe.")
    if Invitation.objects.for_organisation(organisation).pending().filter(email=email).exists():
        raise ValidationError("Une invitation est déjà en attente pour cette adresse : renvoyez-la depuis la liste.")
    token, token_hash = new_token()
    now = timezone.now()
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        first_name=first_name,
        last_name=last_name,
        invited_by=invited_by,
        token_hash=token_hash,
        sent_at=now,
        expires_at=now + datetime.timedelta(seconds=INVITATION_MAX_AGE),
    )
    record(organisation, K.INVITATION, acteur=invited_by, email=email, detail=_role_label(role))
    return invitation, _send(invitation, token, base_url)


def _pending_or_error(invitation):
    if invitation.accepted_at or invitation.cancelled_at:
        raise ValidationError("Cette invitation a déjà été acceptée ou annulée.")


@transaction.atomic
def invitation_resend(*, invitation, user, base_url=""):
    """A new link (the previous one stops working) valid for another 7 days."""
    invitation = (
        Invitation.objects.select_for_update().for_organisation(invitation.organisation_id).get(pk=invitation.pk)
    )
    _pending_or_error(invitation)
    token, invitation.token_hash = new_token()
    invitation.sent_at = timezone.now()
    invitation.expires_at = invitation.sent_at + datetime.timedelta(seconds=INVITATION_MAX_AGE)
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
    record(invitation.organisation, K.INVITATION_RENVOYEE, acteur=user, email=invitation.email)
    return _send(invitation, token, base_url)


@transaction.atomic
def invitation_cancel(*, invitation, user):
    invitation = (
        Invitation.objects.select_for_update().for_organisation(invitation.organisation_id).get(pk=invitation.pk)
    )
    _pending_or_error(invitation)
    invitation.cancelled_at = timezone.now()
    invitation.save(update_fields=["cancelled_at"])
    record(invitation.organisation, K.INVITATION_ANNULEE, acteur=user, email=invitation.email)
    return invitation


INVALID = "Cette invitation n'est plus valable."


@transaction.atomic
def invitation_accept(*, invitation, existing_user=None, password=None, first_name="", last_name=""):
    """Accept: a new account with ``password``, or (``existing_user``, already authenticated by the view with her own
    password) a membership added to her account. The row is locked: a link used twice in parallel works once."""
    invitation = (
        Invitation.objects.select_for_update()
        .for_organisation(invitation.organisation_id)
        .pending()
        .filter(pk=invitation.pk)
        .first()
    )
    if invitation is None:
        raise ValidationError(INVALID)
    user = User.objects.get_by_email(invitation.email)
    if user is not None and user.is_staff:
        raise ValidationError(INVALID)  # a platform administrator's account stays out of the organisations
    if user is None:
        if password is None:
            raise ValidationError(INVALID)
        user = User.objects.create_user(
            invitation.email,
            password,
            first_name=first_name or invitation.first_name,
            last_name=last_name or invitation.last_name,
        )
    elif existing_user is None or existing_user.pk != user.pk or not user.is_active:
        raise ValidationError(INVALID)
    membership, _created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    membership.role, membership.is_active = invitation.role, True
    if invitation.role == Role.PARTENAIRE:
        membership.porteurs_limites = []  # the partner's own account: its whole organisation (docs/security.md)
    membership.save()
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    record(
        invitation.organisation, K.INVITATION_ACCEPTEE, acteur=user, membre=user, detail=_role_label(invitation.role)
    )
    return user, membership


# --- Members ------------------------------------------------------------------------------------------------


LAST_COORDINATOR = (
    "Il faut au moins une personne active en coordination : nommez d'abord une autre coordinatrice ou un autre "
    "coordinateur."
)


def _locked(membership):
    return Membership.objects.select_for_update().select_related("user", "organisation").get(pk=membership.pk)


def _guard_last_coordinator(membership):
    """Refuse a change that would leave the organisation without an active coordinator (rows locked first)."""
    if membership.role != Role.COORDINATEUR or not membership.is_active:
        return
    others = (
        Membership.objects.select_for_update()
        .filter(organisation=membership.organisation_id, role=Role.COORDINATEUR, is_active=True, user__is_active=True)
        .exclude(pk=membership.pk)
    )
    if not list(others):
        raise ValidationError(LAST_COORDINATOR)


@transaction.atomic
def member_set_role(*, membership, role, user):
    membership = _locked(membership)
    if role not in roles_for(membership.organisation):
        raise ValidationError("Ce rôle n'existe pas dans ce type d'organisation.")
    if role == membership.role:
        return membership
    if role != Role.COORDINATEUR:
        _guard_last_coordinator(membership)
    before = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    record(
        membership.organisation,
        K.ROLE,
        acteur=user,
        membre=membership.user,
        detail=f"{_role_label(before)} → {_role_label(role)}",
    )
    return membership


@transaction.atomic
def member_deactivate(*, membership, user):
    """End the access: the open sessions end at their next request (``core.middleware``); dossiers stay."""
    membership = _locked(membership)
    if not membership.is_active:
        return membership
    _guard_last_coordinator(membership)
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    record(membership.organisation, K.DESACTIVATION, acteur=user, membre=membership.user)
    return membership


@transaction.atomic
def member_reactivate(*, membership, user):
    membership = _locked(membership)
    if membership.is_active:
        return membership
    membership.is_active = True
    membership.save(update_fields=["is_active"])
    record(membership.organisation, K.REACTIVATION, acteur=user, membre=membership.user)
    return membership


# --- Platform onboarding ------------------------------------------------------------------------------------


def name_taken(nom):
    return Organisation.objects.filter(nom__iexact=nom.strip()).exists()


@transaction.atomic
def organisation_create(*, nom, kind, email, sigle="", siret="", invited_by=None, base_url=""):
    """Open a structure in one step: the organisation and the invitation of its first coordinator (porteur) or
    first partner account (partenaire). Returns (organisation, invitation, link)."""
    nom = nom.strip()
    if name_taken(nom):
        raise ValidationError(f"Une organisation nommée « {nom} » existe déjà : rien n'a été créé.")
    organisation = Organisation.objects.create(nom=nom, kind=kind, sigle=sigle, siret=siret, email=email)
    record(organisation, K.CREATION, acteur=invited_by, detail=organisation.get_kind_display())
    invitation, link = invitation_create(
        organisation=organisation,
        email=email,
        role=Role.PARTENAIRE if kind == Organisation.Kind.PARTENAIRE else Role.COORDINATEUR,
        invited_by=invited_by,
        base_url=base_url,
    )
    return organisation, invitation, link


def settings_changed(*, organisation, user, fields):
    if fields:
        record(organisation, K.PARAMETRES, acteur=user, detail=", ".join(fields))
