"""Brute-force protection: django-axes in front of the model backend."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings


class LockoutBackend(AxesStandaloneBackend):
    """Refuse a login while its e-mail + IP address pair is locked out.

    Logins through the web always pass ``request``; a programmatic ``authenticate()`` without a request
    (tests' ``client.login``, management commands) is not counted and is left to the next backend.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request):
    """Client IP address; the left-most X-Forwarded-For entry only behind a trusted proxy."""
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR")
