"""The signed, expiring link of a partner invitation (the token is the authorisation: for_platform reads)."""

from django.core import signing

from outreach.models import InvitationPartenaire


INVITATION_SALT = "outreach.invitation"
INVITATION_MAX_AGE = 7 * 24 * 3600  # seconds


def invitation_token(invitation):
    return signing.TimestampSigner(salt=INVITATION_SALT).sign(str(invitation.pk))


def invitation_from_token(token):
    """The pending invitation for a token, or None (bad signature, expired, already used)."""
    try:
        pk = signing.TimestampSigner(salt=INVITATION_SALT).unsign(token, max_age=INVITATION_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is a subclass
        return None
    return (
        InvitationPartenaire.objects.for_platform()
        .select_related("partenaire", "porteur")
        .filter(pk=pk, accepted_at__isnull=True)
        .first()
    )
