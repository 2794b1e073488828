"""Two-factor authentication (TOTP + recovery codes, django-otp) and the middleware that enforces it.

After the password step, a user who must use 2FA — coordinateurs and superusers when ``REQUIRE_2FA``,
everyone when ``REQUIRE_2FA_ALL``, and anyone who enrolled of their own accord — reaches only:

- ``/connexion/verification/`` when they have a confirmed device (enter a code or a recovery code);
- ``/compte/securite/activer/`` when they must use 2FA but have not enrolled yet;
- ``/deconnexion/`` and static files.

Whether the user has a device is stored in the session at login (no query on every request).

A ProConnect login whose identity provider asserted a second factor (``core.proconnect``) marks the session with
``IDP_MFA_SESSION_KEY``: the second step is then done, Tremplin does not ask for its own code again.
"""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import Membership, Role


ENROLLED_SESSION_KEY = "otp_enrolled"
IDP_MFA_SESSION_KEY = "proconnect_mfa"  # set only by core.proconnect after a login with MFA asserted
VERIFY_URL_NAME = "two_factor_verify"
ENROL_URL_NAME = "security_enable"
ALWAYS_ALLOWED_PREFIXES = ("/deconnexion/", "/static/", "/sante/")


def two_factor_required(user, memberships=None):
    """True when the rules make 2FA mandatory for ``user`` (whatever they enrolled)."""
    if not user.is_authenticated:
        return False
    if settings.REQUIRE_2FA_ALL:
        return True
    if not settings.REQUIRE_2FA:
        return False
    if user.is_superuser:
        return True
    if memberships is None:
        return Membership.objects.active().filter(user=user, role=Role.COORDINATEUR).exists()
    return any(m.role == Role.COORDINATEUR for m in memberships)


def refresh_enrolment(request, user):
    """Remember in the session whether ``user`` has a confirmed device (called at login and on changes)."""
    request.session[ENROLLED_SESSION_KEY] = user_has_device(user, confirmed=True)


def is_verified(user):
    checker = getattr(user, "is_verified", None)
    return bool(checker and checker())


def second_step_done(request):
    """The second factor of this session: a Tremplin code (django-otp) or MFA asserted by ProConnect."""
    return is_verified(request.user) or bool(request.session.get(IDP_MFA_SESSION_KEY))


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not user.is_authenticated or request.path_info.startswith(ALWAYS_ALLOWED_PREFIXES):
            return self.get_response(request)
        enrolled = request.session.get(ENROLLED_SESSION_KEY)
        if enrolled is None:  # session opened before this middleware existed
            refresh_enrolment(request, user)
            enrolled = request.session[ENROLLED_SESSION_KEY]
        if not enrolled and not two_factor_required(user, getattr(request, "memberships", None)):
            return self.get_response(request)
        if second_step_done(request):
            return self.get_response(request)
        request.two_factor_pending = True  # the layout hides the menu until the second step is done
        target = reverse(VERIFY_URL_NAME if enrolled else ENROL_URL_NAME)
        if request.path_info == target:
            return self.get_response(request)
        query = ""
        if request.method == "GET" and request.path_info != "/":
            query = "?" + urlencode({"next": request.get_full_path()})
        return redirect(target + query)


# --- Devices ------------------------------------------------------------------------------------------


def pending_totp_device(user):
    """The unconfirmed TOTP device being enrolled (created on first call)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Application d'authentification", confirmed=False)
    return device


def qr_code_data_uri(device):
    """The enrolment QR code as an inline SVG data URI (no external service)."""
    import base64
    import io

    import qrcode
    import qrcode.image.svg

    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def secret_for_display(device):
    """The TOTP secret in base32, grouped by 4, for manual entry."""
    import base64

    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def recovery_codes_create(user):
    """Replace the user's recovery codes by fresh ones; returns them (shown once)."""
    device, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": "Codes de secours"})
    device.confirmed = True
    device.save()
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.OTP_STATIC_RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def remaining_recovery_codes(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def devices_delete(user):
    for device in devices_for_user(user, confirmed=None):
        device.delete()
