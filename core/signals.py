"""Login history (``LoginEvent``) from Django's and django-axes' authentication signals."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from core.auth_backends import client_ip
from core.models import LoginEvent, User
from core.twofactor import IDP_MFA_SESSION_KEY, refresh_enrolment


def record_login_event(kind, request, user=None, username=""):
    ip_address = user_agent = None
    if request is not None and hasattr(request, "META"):
        ip_address = client_ip(request)
        user_agent = request.META.get("HTTP_USER_AGENT", "")[:300]
    LoginEvent.objects.create(
        user=user,
        username=(username or (user.email if user else ""))[:254],
        kind=kind,
        ip_address=ip_address or None,
        user_agent=user_agent or "",
    )


@receiver(user_logged_in, dispatch_uid="core_login_event_success")
def on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        refresh_enrolment(request, user)
        # Only core.proconnect sets it again, after the login, when the identity provider asserted MFA.
        request.session.pop(IDP_MFA_SESSION_KEY, None)
    record_login_event(LoginEvent.Kind.SUCCES, request, user=user)


@receiver(user_login_failed, dispatch_uid="core_login_event_failure")
def on_login_failed(sender, credentials, request=None, **kwargs):
    if request is None or getattr(request, "axes_locked_out", False):
        return
    username = str(credentials.get("username", ""))[:254]
    user = User.objects.get_by_email(username)
    record_login_event(LoginEvent.Kind.ECHEC, request, user=user, username=username)


@receiver(user_locked_out, dispatch_uid="core_login_event_lockout")
def on_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    username = str(username or "")[:254]
    user = User.objects.get_by_email(username)
    record_login_event(LoginEvent.Kind.VERROUILLAGE, request, user=user, username=username)


@receiver(user_logged_out, dispatch_uid="core_login_event_logout")
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record_login_event(LoginEvent.Kind.DECONNEXION, request, user=user)
