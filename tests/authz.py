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

Three more checks run over the same registry (issue 14):

4. ``run_two_organisation_check``: a user member of A *and* B, acting in B, gets 403/404 on every object of A
   (GET and POST); after switching to A, the same GET is served (not 404).
5. ``run_archive_check``: each object URL is built again, its young people are archived, and no conseillère or
   chargé·e of A may see their data (403/404, or a page without their name); coordination still reaches it.
   Every list page is also checked against an archived young person of A.
7. ``run_read_audit_check``: every page or file that shows a young person's records records a read of that
   young person (``core.models.AccesDossier``), whichever app serves it.
6. ``run_write_probe``: every form a page renders that offers a model choice is posted back with another
   organisation's id in each such field (``OUTSIDERS`` builds one per model): nothing may be written (the
   database is fingerprinted before and after) and, when the form comes back, the field carries an error.
"""

import hashlib
import importlib
import pkgutil
from dataclasses import dataclass, field

from django import forms
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

import tests
from core.middleware import SESSION_KEY


PUBLIC_URLS = {
    "login",
    "sante",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "portal:invitation_accept",  # a partner sets a password from a signed, expiring invitation link
    # ProConnect (core/proconnect.py): the sign-in, its redirect URI and the post-logout one (404 unless configured)
    "proconnect_login",
    "proconnect_callback",
    "proconnect_logout_callback",
    "agenda:flux_ics",  # a calendar application reads the secret feed URL (tests/agenda/test_feed.py)
    "team:invitation_accept",  # a staff member sets a password (or confirms hers) from her invitation link
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
    two_org_staff: object = None  # coordination in A and in B
    two_org_partner: object = None  # partner user in partner A and in partner B


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


# --- 4. A user of two organisations acts in the current one only ------------------------------------------------

PORTAL_PREFIX = "/portail/"


def client_in(user, organisation):
    """A client logged in as ``user`` with ``organisation`` as its current organisation."""
    client = _client_for(user)
    session = client.session
    session[SESSION_KEY] = organisation.pk
    session.save()
    return client


def _object_urls(world, urlconf, object_urls):
    resolver = get_resolver(urlconf)
    for name, route, pattern in iter_patterns(resolver.url_patterns):
        if name.split(":")[0] in SKIPPED_NAMESPACES or name in PUBLIC_URLS:
            continue
        if (bool(pattern.pattern.converters) or "<" in route) and name in object_urls:
            yield name, object_urls[name]


def _drain(response):
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    return response


def run_two_organisation_check(world, urlconf=None, object_urls=None):
    """(A page that answers 404 to A's own coordination too, e.g. a file not uploaded yet, is not a failure.)"""
    from core.models import Role

    object_urls = object_urls if object_urls is not None else collect_registry()[0]
    failures = []
    for name, builder in _object_urls(world, urlconf, object_urls):
        url = reverse(name, kwargs=builder(world), urlconf=urlconf)
        portal = url.startswith(PORTAL_PREFIX)
        user = world.two_org_partner if portal else world.two_org_staff
        home, other = (world.partner_a, world.partner_b) if portal else (world.org_a, world.org_b)
        elsewhere = client_in(user, other)
        for method in ("get", "post"):
            status = _drain(getattr(elsewhere, method)(url)).status_code
            if status not in INTRUDER_STATUSES:
                failures.append(f"{name} {url}: {method.upper()} en agissant pour {other} → {status}, attendu 404")
        status = _drain(client_in(user, home).get(url)).status_code
        single = world.users_a[Role.PARTENAIRE if portal else Role.COORDINATEUR]
        if status in INTRUDER_STATUSES and _drain(_client_for(single).get(url)).status_code != status:
            failures.append(f"{name} {url}: GET après être passé à {home} → {status}, attendu la page")
    return failures


# --- 5. Archived dossiers: coordination only -------------------------------------------------------------------

ARCHIVE_MARKER = "Zzarchive"


def _archive_new_jeunes(world, before_pk):
    Jeune = apps.get_model("youth", "Jeune")
    archived = []
    for jeune in Jeune.objects.for_platform().filter(pk__gt=before_pk, organisation=world.org_a):
        jeune.nom = f"{ARCHIVE_MARKER}{jeune.pk}"
        jeune.archived_at = timezone.now()
        jeune.save(update_fields=["nom", "archived_at"])
        archived.append(jeune)
    return archived


def run_archive_check(world, urlconf=None, object_urls=None):
    from core.models import Role

    Jeune = apps.get_model("youth", "Jeune")
    object_urls = object_urls if object_urls is not None else collect_registry()[0]
    readers = [_client_for(world.users_a[role]) for role in (Role.CONSEILLERE, Role.CHARGE_ENTREPRISES)]
    coordination = _client_for(world.users_a[Role.COORDINATEUR])
    failures = []
    for name, builder in _object_urls(world, urlconf, object_urls):
        before = Jeune.objects.for_platform().order_by("-pk").values_list("pk", flat=True).first() or 0
        url = reverse(name, kwargs=builder(world), urlconf=urlconf)
        archived = _archive_new_jeunes(world, before)
        if not archived or url.startswith(PORTAL_PREFIX):
            continue
        for client in readers:
            response = _drain(client.get(url))
            content = b"" if getattr(response, "streaming", False) else response.content
            if response.status_code not in INTRUDER_STATUSES and any(
                f"{ARCHIVE_MARKER}{j.pk}".encode() in content for j in archived
            ):
                failures.append(f"{name} {url}: un dossier archivé est montré à {client.session.get('_auth_user_id')}")
            elif response.status_code == 200 and name.startswith("youth:jeune_"):
                failures.append(f"{name} {url}: la page d'un dossier archivé répond 200 hors coordination")
        if _drain(coordination.get(url)).status_code == 404:
            failures.append(f"{name} {url}: la coordination ne retrouve plus le dossier archivé")
    # Lists and searches: an archived young person of A never shows.
    from tests.youth.factories import ParticipationFactory

    marked = ParticipationFactory(jeune__organisation=world.org_a, jeune__nom=f"{ARCHIVE_MARKER}Liste").jeune
    marked.archived_at = timezone.now()
    marked.save(update_fields=["archived_at"])
    resolver = get_resolver(urlconf)
    for name, route, _pattern in iter_patterns(resolver.url_patterns):
        if name.split(":")[0] in SKIPPED_NAMESPACES or name in PUBLIC_URLS or "<" in route:
            continue
        url = reverse(name, urlconf=urlconf)
        for client in readers:
            for query in ("", f"?q={ARCHIVE_MARKER}"):
                response = _drain(client.get(url + query))
                shown = response.status_code == 200 and not getattr(response, "streaming", False)
                if shown and f"{ARCHIVE_MARKER}Liste".upper().encode() in response.content.upper():
                    failures.append(f"{name} {url}{query}: un dossier archivé apparaît dans la liste")
    return failures


# --- 6. Write probe: another organisation's ids in every scoped choice ------------------------------------------


def _outsiders():
    """Builders of one object *outside* the scope of A's users, per model a form may offer."""
    from tests.core.factories import MembershipFactory, OrganisationFactory
    from tests.employers.factories import ContactFactory, EntrepriseFactory, OffreFactory
    from tests.expenses.factories import SalarieFactory
    from tests.funding.factories import LigneBudgetaireFactory, OperationFactory
    from tests.workshops.factories import ImmersionFactory, SeanceFactory
    from tests.youth.factories import JeuneFactory, ParticipationFactory

    return {
        "youth.Jeune": lambda w: JeuneFactory(organisation=w.org_b),
        "youth.Participation": lambda w: ParticipationFactory(jeune__organisation=w.org_b),
        "funding.Operation": lambda w: OperationFactory(organisation=w.org_b),
        "funding.LigneBudgetaire": lambda w: LigneBudgetaireFactory(operation__organisation=w.org_b),
        "expenses.Salarie": lambda w: SalarieFactory(operation__organisation=w.org_b),
        "employers.Entreprise": lambda w: EntrepriseFactory(organisation=w.org_b),
        "employers.Offre": lambda w: OffreFactory(entreprise__organisation=w.org_b),
        "employers.Contact": lambda w: ContactFactory(entreprise__organisation=w.org_b),
        "workshops.Immersion": lambda w: ImmersionFactory(organisation=w.org_b),
        "workshops.Seance": lambda w: SeanceFactory(atelier__organisation=w.org_b),
        "core.User": lambda w: MembershipFactory(organisation=w.org_b).user,
        "core.Organisation": lambda w: OrganisationFactory(partenaire=True),
        "diagnostics.Questionnaire": lambda w: _questionnaire(w.org_b),
    }


def _questionnaire(organisation):
    from diagnostics.services import questionnaire_install_defaults

    questionnaire_install_defaults(organisation=organisation)
    return apps.get_model("diagnostics", "Questionnaire").objects.for_organisation(organisation).first()


IGNORED_IN_FINGERPRINT = {"core.AccesDossier", "core.LoginEvent", "axes.AccessAttempt", "axes.AccessLog"}


def fingerprint():
    """A digest of every row of every project table (history included): equal digests, nothing was written."""
    digest = hashlib.sha256()
    for model in apps.get_models():
        config = apps.get_app_config(model._meta.app_label)
        if model._meta.label in IGNORED_IN_FINGERPRINT or not str(config.path).startswith(str(settings.BASE_DIR)):
            continue
        if ".venv" in str(config.path):
            continue
        for row in model._base_manager.order_by("pk").values_list():
            digest.update(repr(row).encode())
    return digest.hexdigest()


def _forms_in(response):
    found = []
    for context in response.context or []:
        values = context.flatten().values() if hasattr(context, "flatten") else context.values()
        for value in values:
            if isinstance(value, forms.BaseForm) and value not in found:
                found.append(value)
    return found


def _post_data(form):
    data = {}
    for field_name in form.fields:
        bound = form[field_name]
        value = bound.value()
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            data[bound.html_name] = [str(getattr(v, "pk", v)) for v in value]
        else:
            data[bound.html_name] = str(getattr(value, "pk", value))
    return data


def _choice_fields(form):
    return [(name, field) for name, field in form.fields.items() if isinstance(field, forms.ModelChoiceField)]


def run_write_probe(world, urlconf=None, object_urls=None):
    from core.models import Role

    object_urls = object_urls if object_urls is not None else collect_registry()[0]
    builders = _outsiders()
    outsiders = {}
    staff = _client_for(world.users_a[Role.COORDINATEUR])
    partner = _client_for(world.users_a[Role.PARTENAIRE])
    failures, probed = [], 0
    resolver = get_resolver(urlconf)
    for name, route, pattern in iter_patterns(resolver.url_patterns):
        if name.split(":")[0] in SKIPPED_NAMESPACES or name in PUBLIC_URLS:
            continue
        takes_args = bool(pattern.pattern.converters) or "<" in route
        if takes_args and name not in object_urls:
            continue
        url = reverse(name, kwargs=object_urls[name](world) if takes_args else {}, urlconf=urlconf)
        client = partner if url.startswith(PORTAL_PREFIX) else staff
        response = _drain(client.get(url))
        if response.status_code != 200:
            continue
        for form in _forms_in(response):
            for field_name, choice in _choice_fields(form):
                label = choice.queryset.model._meta.label
                if label not in builders:
                    failures.append(f"{name} {url}: {type(form).__name__}.{field_name} ({label}) sans OUTSIDERS")
                    continue
                if label not in outsiders:
                    outsiders[label] = builders[label](world)
                outsider = outsiders[label]
                if choice.queryset.filter(pk=outsider.pk).exists():
                    failures.append(
                        f"{name} {url}: {type(form).__name__}.{field_name} propose {label} n° {outsider.pk}"
                    )
                data = _post_data(form)
                key = form.add_prefix(field_name)
                data[key] = (
                    [str(outsider.pk)] if isinstance(choice, forms.ModelMultipleChoiceField) else str(outsider.pk)
                )
                before = fingerprint()
                posted = _drain(client.post(url, data))
                probed += 1
                if fingerprint() != before:
                    failures.append(
                        f"{name} {url}: POST de {type(form).__name__}.{field_name} = {label} n° {outsider.pk} "
                        f"d'une autre organisation → {posted.status_code}, et la base a changé"
                    )
                    continue
                for returned in _forms_in(posted) if posted.status_code == 200 or posted.status_code == 422 else []:
                    if type(returned) is type(form) and returned.is_bound and field_name not in returned.errors:
                        failures.append(f"{name} {url}: {type(form).__name__}.{field_name} accepte un id hors portée")
    return failures, probed


# --- 7. Every read of a young person's data is audited ---------------------------------------------------------


def run_read_audit_check(world, urlconf=None, object_urls=None):
    from core.models import AccesDossier, Role

    Jeune = apps.get_model("youth", "Jeune")
    object_urls = object_urls if object_urls is not None else collect_registry()[0]
    user = world.users_a[Role.COORDINATEUR]
    client = _client_for(user)
    failures, checked = [], 0
    for name, builder in _object_urls(world, urlconf, object_urls):
        before = Jeune.objects.for_platform().order_by("-pk").values_list("pk", flat=True).first() or 0
        url = reverse(name, kwargs=builder(world), urlconf=urlconf)
        jeunes = list(
            Jeune.objects.for_platform().filter(pk__gt=before, organisation=world.org_a).values_list("pk", flat=True)
        )
        if not jeunes or url.startswith(PORTAL_PREFIX):
            continue
        if _drain(client.get(url)).status_code != 200:
            continue
        checked += 1
        if not AccesDossier.objects.filter(user=user, jeune_id__in=jeunes, url=url).exists():
            failures.append(f"{name} {url}: la consultation des données d'un jeune n'est pas journalisée")
    return failures, checked
