"""Bad input (NUL byte, invalid UTF-8, over-long values) gets a 400 or an empty answer, never a 500.

``core.middleware.RejectBadInputMiddleware`` refuses it before any view; the sweep sends it to every URL of the
project, as every role, on ``q`` and on every parameter the page's own GET forms send.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from core.models import Role
from tests.authz import collect_registry, iter_patterns


pytestmark = pytest.mark.django_db

BAD_VALUES = {"nul": "a%00", "long": "a" * 5000, "utf8": "%ff%fe"}
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.IGNORECASE | re.DOTALL)
FIELD_NAME = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"", re.IGNORECASE)
POST_METHOD = re.compile(r"method=\"?post", re.IGNORECASE)


def get_form_parameters(html):
    """Names sent by the page's GET forms (search boxes, filters, pagination…)."""
    names = set()
    for attributes, body in FORM.findall(html):
        if not POST_METHOD.search(attributes):
            names.update(FIELD_NAME.findall(body))
    return names - {"csrfmiddlewaretoken"}


def project_urls(world):
    object_urls, _ = collect_registry()
    for name, route, pattern in iter_patterns():
        if name.startswith("admin:"):
            continue
        kwargs = {}
        if pattern.pattern.converters or "<" in route:
            if name not in object_urls:
                continue  # the authorization harness fails on it already
            kwargs = object_urls[name](world)
        yield name, reverse(name, kwargs=kwargs)


def _read(response):
    if response.streaming:  # file downloads: reading to the end makes the test client close the file
        b"".join(response.streaming_content)
    return response


def test_no_page_answers_500_to_bad_input(world):
    clients = {"anonyme": Client(raise_request_exception=False)}
    for role, user in world.users_a.items():
        clients[role] = Client(raise_request_exception=False)
        clients[role].force_login(user)
    urls = list(project_urls(world))
    assert len(urls) > 50
    failures, sent = [], 0
    for name, url in urls:
        for role, client in clients.items():
            page = _read(client.get(url))
            parameters = {"q", "page", "statut", "operation"}
            if page.status_code == 200 and "text/html" in page.get("Content-Type", ""):
                parameters |= get_form_parameters(page.content.decode())
            for parameter in sorted(parameters):
                for label, value in BAD_VALUES.items():
                    response = _read(client.get(f"{url}?{parameter}={value}"))
                    sent += 1
                    if response.status_code >= 500:
                        failures.append(f"{name} GET {url}?{parameter}=<{label}> as {role} → {response.status_code}")
            if name == "logout":
                continue  # a POST there would log the client out for the rest of the sweep
            body = "q=a%00&texte=a%00"
            response = _read(client.post(url, body, content_type="application/x-www-form-urlencoded"))
            sent += 1
            if response.status_code >= 500:
                failures.append(f"{name} POST {url} q=<nul> as {role} → {response.status_code}")
    assert failures == []
    assert sent > 1000


@pytest.mark.parametrize(
    "query",
    [
        "q=a%00",
        "q=" + "a" * 2001,
        "q=%ff%fe",
        "a%00=1",
        "page=1&statut=%c3",
    ],
)
def test_bad_query_string_is_a_french_400(client, world, query):
    client.force_login(world.users_a[Role.CONSEILLERE])
    response = client.get(f"/jeunes/?{query}")
    assert response.status_code == 400
    assert "Requête invalide" in response.content.decode()


def test_bad_form_body_is_a_french_400(client, world):
    client.force_login(world.users_a[Role.CONSEILLERE])
    for body in ("nom=a%00", "nom=%ff", "nom=a\x00"):
        response = client.post("/jeunes/nouveau/", body, content_type="application/x-www-form-urlencoded")
        assert response.status_code == 400, body
    response = client.post("/jeunes/nouveau/", {"nom": "a\x00", "fichier": ""})  # multipart
    assert response.status_code == 400


def test_good_input_passes(client, world):
    client.force_login(world.users_a[Role.CONSEILLERE])
    assert client.get("/jeunes/?q=%C3%A9lodie").status_code == 200
    assert client.get("/jeunes/?q=" + "a" * 2000).status_code == 200
    # a long note in a form body is not a query-string value: no length limit there
    response = client.post("/jeunes/nouveau/", {"nom": "Durand", "notes": "x" * 5000})
    assert response.status_code != 400
