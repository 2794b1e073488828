"""The signed, expiring link of a partner invitation (the token is the authorisation: for_platform reads)."""

from django.core import signing

from core.accounts import normalize_email
from core.models import Membership, User
from outreach.models import InvitationPartenaire


INVITATION_SALT = "outreach.invitation"
INVITATION_MAX_AGE = 7 * 24 * 3600  # seconds


def invitation_token(invitation):
    return signing.TimestampSigner(salt=INVITATION_SALT).sign(str(invitation.pk))


def invitation_from_token(token):
    """The pending invitation for a token, or None (bad signature, expired, already used, or an address that
    is an account of another organisation: such an invitation is recorded but never usable)."""
    try:
        pk = signing.TimestampSigner(salt=INVITATION_SALT).unsign(token, max_age=INVITATION_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is a subclass
        return None
    invitation = (
        InvitationPartenaire.objects.for_platform()
        .select_related("partenaire", "porteur")
        .filter(pk=pk, accepted_at__isnull=True)
        .first()
    )
    if invitation is None or email_taken_elsewhere(invitation.email, invitation.partenaire):
        return None
    return invitation


def email_taken_elsewhere(email, partenaire):
    """Whether this address is an account of another organisation (or an administrator's).

    Never shown to the inviting coordinateur: the answer would disclose another organisation's accounts.
    """
    email = normalize_email(email)
    return (
        Membership.objects.filter(user__email=email).exclude(organisation=partenaire).exists()
        or User.objects.filter(email=email, is_staff=True).exists()
    )
