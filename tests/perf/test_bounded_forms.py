"""No page renders an unbounded list: with more than 200 young people, companies, users, sessions, participations,
immersions and offers in one organisation, no page of any role carries a ``<select>`` of more than 200 options.

Every URL of the project is rendered (no-argument URLs as they are, the others through the builders of
``tests/<app>/authz.py``) by every role of ``world.org_a``; the HTML is parsed and every ``<select>`` counted.
"""

from html.parser import HTMLParser

from django.test import Client
from django.urls import reverse

from core.models import Membership, Role, User
from employers.models import Entreprise, Offre
from tests.authz import PUBLIC_URLS, SKIPPED_NAMESPACES, _drain, collect_registry, iter_patterns
from tests.employers.factories import EntrepriseFactory, OffreFactory
from tests.workshops.factories import ImmersionFactory, SeanceFactory
from tests.youth.factories import JeuneFactory, ParticipationFactory
from workshops.models import Immersion, Seance
from youth.models import Jeune, Participation


MANY = 205
MAX_OPTIONS = 200


class SelectCounter(HTMLParser):
    def __init__(self):
        super().__init__()
        self.selects = []  # (name, options)
        self._current = None

    def handle_starttag(self, tag, attrs):
        if tag == "select":
            self._current = [dict(attrs).get("name", "?"), 0]
        elif tag == "option" and self._current is not None:
            self._current[1] += 1

    def handle_endtag(self, tag):
        if tag == "select" and self._current is not None:
            self.selects.append(tuple(self._current))
            self._current = None


def largest_selects(html):
    parser = SelectCounter()
    parser.feed(html)
    return [(name, count) for name, count in parser.selects if count > MAX_OPTIONS]


def _clones(obj, count, vary):
    """``count`` copies of ``obj`` saved in one INSERT; ``vary(i, copy)`` makes each copy distinct."""
    model = type(obj)
    copies = []
    for i in range(count):
        copy = model.objects.get(pk=obj.pk)
        copy.pk = None
        copy.id = None
        vary(i, copy)
        copies.append(copy)
    return model.objects.bulk_create(copies)


def populate(org):
    jeune = JeuneFactory(organisation=org, nom="Multiple")
    jeunes = _clones(jeune, MANY, lambda i, c: setattr(c, "nom", f"Nom{i:04d}"))
    entreprise = EntrepriseFactory(organisation=org, siret="")
    _clones(entreprise, MANY, lambda i, c: setattr(c, "nom", f"Entreprise {i:04d}"))
    OffreFactory(entreprise=entreprise)
    _clones(Offre.objects.filter(entreprise=entreprise).first(), MANY, lambda i, c: setattr(c, "intitule", f"P{i}"))
    participation = ParticipationFactory(jeune=jeune)
    _clones(participation, MANY, lambda i, c: setattr(c, "jeune", jeunes[i]))
    immersion = ImmersionFactory(jeune=jeune, entreprise=entreprise)
    _clones(immersion, MANY, lambda i, c: setattr(c, "jeune", jeunes[i]))
    seance = SeanceFactory(atelier__operation=participation.operation)
    _clones(seance, MANY, lambda i, c: setattr(c, "lieu", f"Salle {i}"))
    users = User.objects.bulk_create(
        User(email=f"collegue{i}@example.org", first_name="Collègue", last_name=f"N{i:04d}") for i in range(MANY)
    )
    Membership.objects.bulk_create(
        Membership(user=user, organisation=org, role=(Role.CONSEILLERE, Role.CHARGE_ENTREPRISES)[i % 2])
        for i, user in enumerate(users)
    )
    assert Jeune.objects.filter(organisation=org).count() > MANY
    assert Entreprise.objects.filter(organisation=org).count() > MANY
    assert Participation.objects.filter(jeune__organisation=org).count() > MANY
    assert Immersion.objects.filter(jeune__organisation=org).count() > MANY
    assert Seance.objects.filter(atelier=seance.atelier).count() > MANY


def test_no_page_renders_a_select_of_more_than_200_options(world):
    populate(world.org_a)
    object_urls, _ = collect_registry()
    urls = []
    for name, route, pattern in iter_patterns():
        if name.split(":")[0] in SKIPPED_NAMESPACES or name in PUBLIC_URLS or name == "logout":
            continue
        if pattern.pattern.converters or "<" in route:
            if name in object_urls:
                urls.append((name, reverse(name, kwargs=object_urls[name](world))))
        else:
            urls.append((name, reverse(name)))
    assert len(urls) > 100
    failures = []
    rendered = 0
    for role, user in world.users_a.items():
        client = Client()
        client.force_login(user)
        for name, url in urls:
            response = client.get(url)
            html = response.status_code == 200 and "text/html" in response.headers.get("Content-Type", "")
            content = response.content.decode() if html else ""
            for closer in _drain(response)._resource_closers:  # close the files a page served (not the DB
                closer()  # connection: response.close() would send request_finished)
            if not html:
                continue
            rendered += 1
            failures += [f"{role} {name} {url}: <select name={n}> de {c} options" for n, c in largest_selects(content)]
    assert rendered > 100
    assert failures == []


def test_the_counter_sees_a_large_select():
    html = "<select name='x'>" + "<option>a</option>" * 201 + "</select><select name='y'><option>b</select>"
    assert largest_selects(html) == [("x", 201)]
