"""One normalisation of the login e-mail (core.accounts.normalize_email) for login, lockout, creation, lookups."""

import pytest
from axes.models import AccessAttempt

from core.accounts import normalize_email
from core.models import LoginEvent, User
from tests.core.factories import MembershipFactory, UserFactory


pytestmark = pytest.mark.django_db
PASSWORD = "mot-de-passe-solide-2026"
VARIANTS = [
    "conseillere2@acsrv.demo",
    "Conseillere2@acsrv.demo",
    "CONSEILLERE2@ACSRV.DEMO",
    " conseillere2@Acsrv.Demo ",
]


def login(client, email, password=PASSWORD):
    return client.post("/connexion/", {"username": email, "password": password})


def test_normalize_email():
    assert normalize_email("  Conseillere2@ACSRV.demo ") == "conseillere2@acsrv.demo"
    assert normalize_email(None) == ""


def test_failures_with_mixed_case_variants_lock_the_account(client):
    membership = MembershipFactory(user__email="conseillere2@acsrv.demo")
    statuses = [login(client, VARIANTS[i % len(VARIANTS)], "mauvais").status_code for i in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"conseillere2@acsrv.demo"}
    # locked: no case variant gets in, even with the right password
    for variant in VARIANTS:
        assert login(client, variant).status_code == 429, variant
    assert client.get("/").status_code == 302
    assert not membership.user.login_events.filter(kind=LoginEvent.Kind.SUCCES).exists()
    assert membership.user.login_events.filter(kind=LoginEvent.Kind.ECHEC).count() == 4


def test_any_case_variant_logs_in_when_not_locked(client):
    MembershipFactory(user__email="conseillere2@acsrv.demo")
    assert login(client, "CONSEILLERE2@acsrv.demo").status_code == 302


def test_accounts_are_stored_and_found_normalised():
    assert User.objects.create_user(" Lina.Roux@Exemple.FR ", "x").email == "lina.roux@exemple.fr"
    user = UserFactory(email="Sophie@Exemple.fr")
    user.refresh_from_db()
    assert user.email == "sophie@exemple.fr"
    assert User.objects.get_by_natural_key("SOPHIE@exemple.FR") == user
    assert User.objects.get_by_email(" sophie@EXEMPLE.fr") == user
    assert User.objects.get_by_email("") is None
