"""The link of a team invitation: a signed, expiring random secret; the row keeps only its SHA-256.

The signature and its age (``INVITATION_MAX_AGE``, the partner invitations' 7 days, ``outreach.tokens``) are
checked first, then the row is found by the secret's hash and must still be pending (not accepted, not cancelled,
not past ``expires_at``): re-sending replaces the hash, so an older link stops working. The token is the
authorisation, hence the ``for_platform`` read (tests/core/test_scope_rules.py).
"""

import hashlib
import secrets

from django.core import signing

from core.accounts import normalize_email
from outreach.tokens import INVITATION_MAX_AGE
from team.models import Invitation


SALT = "team.invitation"

__all__ = ["INVITATION_MAX_AGE", "invitation_from_token", "new_token", "secret_hash"]


def secret_hash(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def new_token():
    """(token for the link, hash to store)."""
    secret = secrets.token_urlsafe(32)
    return signing.TimestampSigner(salt=SALT).sign(secret), secret_hash(secret)


def invitation_from_token(token):
    """The pending invitation of this link, or None (bad signature, expired, used, cancelled, replaced)."""
    try:
        secret = signing.TimestampSigner(salt=SALT).unsign(token, max_age=INVITATION_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is a subclass
        return None
    return (
        Invitation.objects.for_platform()
        .pending()
        .select_related("organisation", "invited_by")
        .filter(token_hash=secret_hash(secret), organisation__is_active=True)
        .first()
    )


def has_pending_invitation(email):
    """Whether someone was invited with this address and has not registered yet (any organisation: the answer goes
    only to the person who proved she owns the address at ProConnect, and says nothing of who invited her)."""
    return Invitation.objects.for_platform().pending().filter(email=normalize_email(email)).exists()
