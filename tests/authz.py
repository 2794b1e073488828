"""Authorization harness: every URL pattern of the project is checked.

1. An anonymous GET is redirected to ``/connexion/`` (unless the URL is in ``PUBLIC_URLS``).
2. A URL that takes arguments must have an entry in an app's ``tests/<app>/authz*.py``::

       OBJECT_URLS = {
           "youth:jeune_detail": lambda world: {"pk": JeuneFactory(organisation=world.org_a).pk},
       }

   The builder creates an object owned by ``world.org_a`` (or ``world.partner_a`` for portal objects)
   and returns the URL kwargs. Every user of ``world.org_b`` (each role) and of ``world.partner_b``
   then GETs and POSTs the URL: each answer must be 403 (role not allowed) or 404 (not in scope), and
   at least one intruder must reach the object lookup and get 404.
3. Optionally ``LIST_URLS = {"youth:jeune_list": lambda world: "unique text"}``: the builder creates a
   record of ``world.org_a`` showing that text; no intruder may see it on that page.

A URL left out of the registry fails the harness, so a new view cannot skip it.
"""

import importlib
import pkgutil
from dataclasses import dataclass, field

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests


PUBLIC_URLS = {
    "login",
    "sante",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "portal:invitation_accept",  # a partner sets a password from a signed, expiring invitation link
}
# Django's admin has its own login page and is checked by tests/core/test_admin.py.
SKIPPED_NAMESPACES = {"admin"}
INTRUDER_STATUSES = {403, 404}


@dataclass
class World:
    org_a: object
    org_b: object
    partner_a: object
    partner_b: object
    users_a: dict
    intruders: list = field(default_factory=list)


def iter_patterns(patterns=None, prefix="", namespace=""):
    """Yield (full name, route, pattern) for every named URL pattern."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from iter_patterns(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern), entry


def collect_registry():
    """Merge OBJECT_URLS and LIST_URLS from every tests/<app>/authz*.py module."""
    object_urls, list_urls = {}, {}
    for package in pkgutil.iter_modules(tests.__path__):
        if not package.ispkg:
            continue
        package_module = importlib.import_module(f"tests.{package.name}")
        for module_info in pkgutil.iter_modules(package_module.__path__):
            if not module_info.name.startswith("authz"):
                continue
            module = importlib.import_module(f"tests.{package.name}.{module_info.name}")
            object_urls.update(getattr(module, "OBJECT_URLS", {}))
            list_urls.update(getattr(module, "LIST_URLS", {}))
    return object_urls, list_urls


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


def run_harness(world, urlconf=None, object_urls=None, list_urls=None):
    """Return a list of human-readable failures (empty when every URL is protected)."""
    if object_urls is None or list_urls is None:
        found_objects, found_lists = collect_registry()
        object_urls = found_objects if object_urls is None else object_urls
        list_urls = found_lists if list_urls is None else list_urls
    resolver = get_resolver(urlconf)
    failures = []
    anonymous = Client()
    intruder_clients = [(user, _client_for(user)) for user in world.intruders]
    for name, route, pattern in iter_patterns(resolver.url_patterns):
        if name.split(":")[0] in SKIPPED_NAMESPACES or name in PUBLIC_URLS:
            continue
        takes_args = bool(pattern.pattern.converters) or "<" in route
        if takes_args:
            builder = object_urls.get(name)
            if builder is None:
                failures.append(f"{name} ({route}): aucune entrée OBJECT_URLS dans tests/<app>/authz.py")
                continue
            kwargs = builder(world)
        else:
            kwargs = {}
        url = reverse(name, kwargs=kwargs, urlconf=urlconf)
        response = anonymous.get(url)
        if response.status_code != 302 or not response.headers.get("Location", "").startswith("/connexion/"):
            failures.append(
                f"{name} {url}: anonyme → {response.status_code}, attendu une redirection vers /connexion/"
            )
        if takes_args:
            reached_lookup = False
            for user, client in intruder_clients:
                for method in ("get", "post"):
                    status = getattr(client, method)(url).status_code
                    if status not in INTRUDER_STATUSES:
                        failures.append(f"{name} {url}: {method.upper()} par {user.email} → {status}, attendu 404")
                    reached_lookup = reached_lookup or status == 404
            if not reached_lookup:
                failures.append(f"{name} {url}: aucun intrus n'a obtenu 404 (la vue n'est jamais testée en portée)")
        elif name in list_urls:
            marker = list_urls[name](world)
            for user, client in intruder_clients:
                response = client.get(url)
                if response.status_code == 200 and marker in response.content.decode():
                    failures.append(f"{name} {url}: {user.email} voit « {marker} » d'une autre organisation")
    return failures
