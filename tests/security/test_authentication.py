"""Authentication hardening: lockout, 2FA, login history, password rules, session expiry."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import LoginEvent, Role
from tests.core.factories import MembershipFactory, UserFactory


pytestmark = pytest.mark.django_db
PASSWORD = "mot-de-passe-solide-2026"


def totp_now(device):
    return TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()


def login(client, email, password=PASSWORD, **extra):
    return client.post("/connexion/", {"username": email, "password": password}, **extra)


# --- Brute force ------------------------------------------------------------------------------------------


def test_lockout_after_five_failures_with_a_french_message(client):
    membership = MembershipFactory(user__email="cible@exemple.fr")
    for _ in range(4):
        response = login(client, "cible@exemple.fr", "mauvais")
        assert response.status_code == 200
        assert "Adresse e-mail ou mot de passe incorrect" in response.content.decode()
    response = login(client, "cible@exemple.fr", "mauvais")  # 5th failure locks
    assert response.status_code == 429
    content = response.content.decode()
    assert "Trop de tentatives de connexion échouées" in content
    assert "15 minutes" in content
    assert '<form method="post"' in content  # the login page, not a bare 403
    # even the right password is refused while locked out
    response = login(client, "cible@exemple.fr")
    assert response.status_code == 429
    assert client.get("/").status_code == 302
    assert LoginEvent.objects.filter(user=membership.user, kind=LoginEvent.Kind.ECHEC).count() == 4
    assert LoginEvent.objects.filter(user=membership.user, kind=LoginEvent.Kind.VERROUILLAGE).exists()


def test_lockout_is_per_username_and_ip(client):
    MembershipFactory(user__email="cible@exemple.fr")
    other = MembershipFactory(user__email="autre@exemple.fr")
    for _ in range(5):
        login(client, "cible@exemple.fr", "mauvais")
    # another account from the same address still logs in
    assert login(client, "autre@exemple.fr").status_code == 302
    client.post("/deconnexion/")
    # the locked account from another address too
    response = login(client, "cible@exemple.fr", REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 302
    assert other.user.login_events.filter(kind=LoginEvent.Kind.SUCCES).exists()


def test_lockout_expires_after_the_cool_off(client, settings):
    MembershipFactory(user__email="cible@exemple.fr")
    for _ in range(5):
        login(client, "cible@exemple.fr", "mauvais")
    from axes.models import AccessAttempt

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert login(client, "cible@exemple.fr").status_code == 302


# --- Login history ----------------------------------------------------------------------------------------


def test_login_history_lists_only_my_events(client):
    MembershipFactory(user__email="moi@exemple.fr")
    other = MembershipFactory(user__email="autre@exemple.fr").user
    login(client, "moi@exemple.fr", "mauvais", HTTP_USER_AGENT="NavigateurDeTest/1.0")
    login(client, "autre@exemple.fr", "mauvais", HTTP_USER_AGENT="NavigateurIntrus/9.9")
    login(client, "moi@exemple.fr", HTTP_USER_AGENT="NavigateurDeTest/1.0")
    response = client.get("/compte/connexions/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Connexion réussie" in content
    assert "Échec de connexion" in content
    assert "NavigateurDeTest/1.0" in content
    assert "127.0.0.1" in content
    assert "NavigateurIntrus" not in content
    assert LoginEvent.objects.filter(user=other, kind=LoginEvent.Kind.ECHEC).count() == 1


def test_login_history_query_count_does_not_grow(client, django_assert_max_num_queries):
    user = MembershipFactory().user
    client.force_login(user)
    with django_assert_max_num_queries(10) as ctx:
        client.get("/compte/connexions/")
    baseline = len(ctx.captured_queries)
    LoginEvent.objects.bulk_create([LoginEvent(user=user, kind=LoginEvent.Kind.SUCCES) for _ in range(30)])
    with django_assert_max_num_queries(baseline):
        response = client.get("/compte/connexions/")
    assert response.content.decode().count("Connexion réussie") >= 30


# --- Two-factor authentication ----------------------------------------------------------------------------


@pytest.fixture
def require_2fa(settings):
    settings.REQUIRE_2FA = True
    settings.REQUIRE_2FA_ALL = False
    return settings


def test_coordinateur_password_alone_does_not_reach_the_dashboard(client, require_2fa):
    membership = MembershipFactory(role=Role.COORDINATEUR, user__email="coord@exemple.fr")
    response = login(client, "coord@exemple.fr")
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 302
    assert home["Location"] == "/compte/securite/activer/"
    assert client.get("/jeunes/").status_code == 302
    assert client.get("/audit/").status_code == 302
    # enrolment page: an inline QR code, no external service
    page = client.get("/compte/securite/activer/")
    content = page.content.decode()
    assert page.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in content
    assert 'href="/jeunes/"' not in content  # no menu before the second step
    device = TOTPDevice.objects.get(user=membership.user, confirmed=False)
    response = client.post("/compte/securite/activer/", {"code": "000000" if totp_now(device) != "000000" else "1"})
    assert "Code incorrect" in response.content.decode()
    TOTPDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)  # no 1 s wait
    response = client.post("/compte/securite/activer/", {"code": totp_now(device)})
    assert response.status_code == 200
    assert "codes de secours" in response.content.decode()
    assert StaticDevice.objects.get(user=membership.user).token_set.count() == 10
    assert client.get("/").status_code == 200


def test_enrolled_coordinateur_must_enter_a_code_after_the_password(client, require_2fa):
    membership = MembershipFactory(role=Role.COORDINATEUR, user__email="coord@exemple.fr")
    device = TOTPDevice.objects.create(user=membership.user, name="app", confirmed=True)
    login(client, "coord@exemple.fr")
    response = client.get("/jeunes/")
    assert response.status_code == 302
    assert response["Location"] == "/connexion/verification/?next=%2Fjeunes%2F"
    # the security pages are out of reach too (no disabling 2FA without the code)
    assert client.post("/compte/securite/desactiver/").status_code == 302
    assert TOTPDevice.objects.filter(user=membership.user).exists()
    response = client.post("/connexion/verification/", {"code": "12"})
    assert "Code incorrect" in response.content.decode()
    TOTPDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)  # no 1 s wait
    response = client.post("/connexion/verification/", {"code": totp_now(device), "next": "/jeunes/"})
    assert response.status_code == 302
    assert response["Location"] == "/jeunes/"
    assert client.get("/").status_code == 200
    kinds = set(LoginEvent.objects.filter(user=membership.user).values_list("kind", flat=True))
    assert {LoginEvent.Kind.SUCCES, LoginEvent.Kind.DOUBLE_AUTH, LoginEvent.Kind.DOUBLE_AUTH_ECHEC} <= kinds


def test_a_recovery_code_works_once(client, require_2fa):
    from core.twofactor import recovery_codes_create

    membership = MembershipFactory(role=Role.COORDINATEUR, user__email="coord@exemple.fr")
    TOTPDevice.objects.create(user=membership.user, name="app", confirmed=True)
    codes = recovery_codes_create(membership.user)
    login(client, "coord@exemple.fr")
    response = client.post("/connexion/verification/", {"code": codes[0]})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/deconnexion/")
    login(client, "coord@exemple.fr")
    response = client.post("/connexion/verification/", {"code": codes[0]})
    assert response.status_code == 200
    assert client.get("/").status_code == 302


def test_superuser_needs_2fa_too(client, require_2fa):
    UserFactory(email="admin@exemple.fr", is_superuser=True, is_staff=True)
    login(client, "admin@exemple.fr")
    assert client.get("/").status_code == 302
    assert client.get("/admin/")["Location"].startswith("/compte/securite/activer/")


def test_conseillere_is_not_forced_unless_require_2fa_all(client, require_2fa):
    MembershipFactory(role=Role.CONSEILLERE, user__email="cons@exemple.fr")
    login(client, "cons@exemple.fr")
    assert client.get("/").status_code == 200
    client.post("/deconnexion/")
    require_2fa.REQUIRE_2FA_ALL = True
    login(client, "cons@exemple.fr")
    assert client.get("/")["Location"] == "/compte/securite/activer/"


def test_2fa_is_off_when_require_2fa_is_false(client, settings):
    settings.REQUIRE_2FA = False
    MembershipFactory(role=Role.COORDINATEUR, user__email="coord@exemple.fr")
    login(client, "coord@exemple.fr")
    assert client.get("/").status_code == 200


def test_optional_2fa_enrol_then_disable(client):
    membership = MembershipFactory(role=Role.CONSEILLERE)
    client.force_login(membership.user)
    assert "Non activée" in client.get("/compte/securite/").content.decode()
    client.get("/compte/securite/activer/")
    device = TOTPDevice.objects.get(user=membership.user)
    client.post("/compte/securite/activer/", {"code": totp_now(device)})
    assert "Activée" in client.get("/compte/securite/").content.decode()
    client.post("/compte/securite/desactiver/")
    assert not TOTPDevice.objects.filter(user=membership.user).exists()
    assert "Non activée" in client.get("/compte/securite/").content.decode()


def test_required_2fa_cannot_be_disabled(client, require_2fa):
    membership = MembershipFactory(role=Role.COORDINATEUR, user__email="coord@exemple.fr")
    device = TOTPDevice.objects.create(user=membership.user, name="app", confirmed=True)
    login(client, "coord@exemple.fr")
    client.post("/connexion/verification/", {"code": totp_now(device)})
    response = client.post("/compte/securite/desactiver/", follow=True)
    assert "ne peut pas être désactivée" in response.content.decode()
    assert TOTPDevice.objects.filter(user=membership.user).exists()


def test_verification_next_cannot_leave_the_site(client, require_2fa):
    membership = MembershipFactory(role=Role.COORDINATEUR, user__email="coord@exemple.fr")
    device = TOTPDevice.objects.create(user=membership.user, name="app", confirmed=True)
    login(client, "coord@exemple.fr")
    response = client.post("/connexion/verification/", {"code": totp_now(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


# --- Passwords and sessions -------------------------------------------------------------------------------


def test_password_rules_are_strong_and_french():
    user = UserFactory.build(email="sophie.martin@exemple.fr", first_name="Sophie", last_name="Martin")
    with pytest.raises(ValidationError) as short:
        validate_password("court", user)
    assert any("trop court" in m and "12 caractères" in m for m in short.value.messages)
    with pytest.raises(ValidationError) as numeric:
        validate_password("123456789012", user)
    assert any("entièrement numérique" in m for m in numeric.value.messages)
    with pytest.raises(ValidationError) as common:
        validate_password("1qaz2wsx3edc", user)
    assert any("trop courant" in m for m in common.value.messages)
    validate_password("Tremplin-vers-l-emploi-2026", user)


def test_password_change_page_enforces_the_rules(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    response = client.post(
        "/compte/mot-de-passe/",
        {"old_password": PASSWORD, "new_password1": "court", "new_password2": "court"},
    )
    assert response.status_code == 200
    assert "trop court" in response.content.decode()
    response = client.post(
        "/compte/mot-de-passe/",
        {
            "old_password": PASSWORD,
            "new_password1": "Tremplin-vers-l-emploi-2026",
            "new_password2": "Tremplin-vers-l-emploi-2026",
        },
    )
    assert response.status_code == 302
    membership.user.refresh_from_db()
    assert membership.user.check_password("Tremplin-vers-l-emploi-2026")


def test_session_expires_after_an_hour_of_inactivity_and_activity_renews_it(client, settings):
    assert settings.SESSION_COOKIE_AGE == 60 * 60
    assert settings.SESSION_RENEW_AFTER == 5 * 60
    membership = MembershipFactory(user__email="sophie@exemple.fr")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        login(client, "sophie@exemple.fr")
        assert client.get("/").status_code == 200
        first = Session.objects.get().expire_date
        assert first - timezone.now() == timedelta(hours=1)
        # a request within five minutes of the last renewal writes nothing
        traveller.shift(timedelta(minutes=2))
        assert client.get("/").status_code == 200
        assert Session.objects.get().expire_date == first
        # later activity renews it for an hour
        traveller.shift(timedelta(minutes=50))
        assert client.get("/").status_code == 200
        assert Session.objects.get().expire_date - timezone.now() == timedelta(hours=1)
        # one hour without a request: the session is over (in the cache and in the database)
        traveller.shift(timedelta(hours=1, seconds=1))
        response = client.get("/jeunes/")
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/")
    assert membership.user.login_events.count() == 1
