"""Authorization matrix over every URL of every app: roles × organisations × methods.

It runs over whatever URLs exist (``tests.authz.iter_patterns``) and builds objects with the registries that
every app fills (``tests/<app>/authz*.py``), so URLs added later are covered without touching this file.

- anonymous: GET and POST are sent to ``/connexion/`` (or 404 for unknown paths), never served;
- intruders (each role of another porteur, and another partner): GET/POST/PUT/PATCH/DELETE on an object
  of ``world.org_a`` (``world.partner_a`` for portal objects) → 403, 404 or 405, never a success;
- a partner user never gets a 200 (nor a redirect after a write) on a staff URL, even for objects of the
  porteur its own orientations went to;
- ``/admin/`` is not reachable by a non-staff user.
"""

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from core.models import Role
from tests.authz import PUBLIC_URLS, SKIPPED_NAMESPACES, collect_registry, iter_patterns


pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")
INTRUDER_OK = {403, 404, 405}
# URLs every logged-in user may use, whatever the role (account, session, organisation switch, home redirect,
# her notifications — each user reads only her own, partners included: the row rule of Record.NOTIFICATION).
COMMON_PREFIXES = ("/compte/", "/connexion/", "/deconnexion/", "/organisation/changer/", "/notifications/")
PARTNER_PREFIXES = ("/portail/",)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _drain(response):
    if response.streaming:  # downloads: reading to the end closes the file
        b"".join(response.streaming_content)
    return response


def _urls(world, urlconf=None, only=None):
    object_urls, _ = collect_registry()
    for name, route, pattern in iter_patterns(get_resolver(urlconf).url_patterns):
        if name.split(":")[0] in SKIPPED_NAMESPACES or name in PUBLIC_URLS:
            continue
        if only is not None and name not in only:
            continue
        takes_args = bool(pattern.pattern.converters) or "<" in route
        if takes_args:
            builder = object_urls.get(name)
            if builder is None:  # reported by tests/core/test_authz_harness.py
                continue
            yield name, reverse(name, kwargs=builder(world), urlconf=urlconf), True
        else:
            yield name, reverse(name, urlconf=urlconf), False


def run_matrix(world, urlconf=None, only=None):
    """Human-readable failures; ``checked`` is the number of URLs visited."""
    anonymous = Client()
    intruders = [(user, _client(user)) for user in world.intruders]
    partner = _client(world.users_a[Role.PARTENAIRE])
    failures = []
    checked = 0
    for name, url, takes_args in _urls(world, urlconf, only):
        checked += 1
        for method in ("get", "post"):
            response = _drain(getattr(anonymous, method)(url))
            if response.status_code != 302 or not response["Location"].startswith("/connexion/"):
                failures.append(f"{name} {method.upper()} {url} anonyme → {response.status_code}")
        if takes_args:
            for user, client in intruders:
                for method in METHODS:
                    status = _drain(getattr(client, method)(url)).status_code
                    if status not in INTRUDER_OK:
                        failures.append(f"{name} {method.upper()} {url} par {user.email} (intrus) → {status}")
        if url == "/" or url.startswith(COMMON_PREFIXES + PARTNER_PREFIXES):
            continue
        for method in ("get", "post"):
            response = _drain(getattr(partner, method)(url))
            if response.status_code == 200 or (method == "post" and response.status_code in (301, 302, 303)):
                failures.append(f"{name} {method.upper()} {url} par un partenaire → {response.status_code}")
    return failures, checked


def test_authorization_matrix(world):
    failures, checked = run_matrix(world)
    assert checked > 10
    assert failures == []


@pytest.mark.parametrize("role", [Role.CONSEILLERE, Role.CHARGE_ENTREPRISES, Role.COORDINATEUR, Role.PARTENAIRE])
def test_admin_is_not_reachable_by_non_staff(world, role):
    client = _client(world.users_a[role])
    for url in ("/admin/", "/admin/core/user/", "/admin/youth/jeune/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url


def test_matrix_catches_a_partner_reaching_a_staff_page(world, settings):
    """The matrix is not vacuous: a staff page open to partners is reported."""
    settings.ROOT_URLCONF = "tests.security.leaky_urls"
    failures, checked = run_matrix(world, urlconf="tests.security.leaky_urls", only={"leaky", "home"})
    assert checked == 2
    assert failures == ["leaky GET /fuite/ par un partenaire → 200", "leaky POST /fuite/ par un partenaire → 200"]
