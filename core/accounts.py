"""The one normalisation of the e-mail address that identifies an account.

Login is by e-mail, and an e-mail is compared case-insensitively. Every path that stores or looks up an
account's address goes through ``normalize_email``: the login form, the django-axes lockout key
(``AXES_USERNAME_CALLABLE``), user creation and every ``User`` lookup by e-mail (invitations included). A lockout
keyed on the raw input would let ``Conseillere2@…`` log in while ``conseillere2@…`` is locked out.
"""

from django.conf import settings


def normalize_email(value):
    """``" Conseillere2@ACSRV.demo "`` → ``"conseillere2@acsrv.demo"`` (strip + lower case); ``None`` → ``""``."""
    return str(value or "").strip().lower()


def axes_username(request, credentials=None):
    """django-axes ``AXES_USERNAME_CALLABLE``: the normalised e-mail, so every case variant shares one counter."""
    field = settings.AXES_USERNAME_FORM_FIELD
    value = credentials.get(field) if credentials else getattr(request, "POST", {}).get(field)
    return normalize_email(value)
