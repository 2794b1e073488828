"""A crawl of every page each demo account reaches, at 360 px (issue #18).

From the home page, every same-site link is followed (breadth first, two pages per URL name so a list of 200
dossiers costs two visits), as a person would click. Each page must answer 200, fit 360 px without horizontal
scrolling, and show no English word of the framework's defaults (Django, django-filter, crispy forms, the
paginator, datetime formats). Downloads (PDF, CSV, XLSX, iCalendar) and actions that change state (logout) are not
followed. Every problem of every account is listed in one failure.
"""

import re
from collections import Counter, deque
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve

from tests.browser.support import login


pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

ACCOUNTS = [
    "conseillere@acsrv.demo",
    "coordination@acsrv.demo",
    "entreprises@acsrv.demo",
    "coordination@carvin.demo",
    "conseillere@carvin.demo",
    "partenaire@capep.demo",
    "partenaire@cao59.demo",
    "partenaire@ml-valenciennois.demo",
]
PER_URL_NAME = 2
MAX_PAGES = 90
WIDTH = 360

# Words a French page only shows when a framework default leaked through (whole words, case-sensitive).
ENGLISH = re.compile(
    r"\b(This field is required|Enter a valid|Select a valid choice|Ensure this value|Page not found|Server Error|"
    r"Forbidden|as of|created by|changed by|Next|Previous|Submit|Save|Delete|Unknown|None|True|False|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|April|June|July|August|"
    r"September|October|November|December|a\.m\.|p\.m\.|Search|Filter|results?)\b"
)
SKIP_PATH = re.compile(r"(\.(pdf|csv|xlsx|ics|zip|json)$|/deconnexion/|/logout/|/telecharger|/export|/admin/)")
SKIP_URL_NAMES = {"core:logout", "core:switch_organisation"}


def _same_site_links(page):
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('a[href]'))
             .filter(a => !a.hasAttribute('download') && !a.closest('[hidden]'))
             .map(a => a.getAttribute('href'))"""
    )


def _url_name(path):
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def crawl(page, base_url, email):
    problems, visited = [], []
    per_name = Counter()
    queue = deque(["/"])
    seen = {"/"}
    while queue and len(visited) < MAX_PAGES:
        path = queue.popleft()
        response = page.goto(f"{base_url}{path}")
        visited.append(path)
        if response is None or response.status != 200:
            problems.append(f"{email} {path} → {response.status if response else 'pas de réponse'}")
            continue
        width = page.evaluate("() => document.scrollingElement.scrollWidth")
        if width > WIDTH + 2:
            problems.append(f"{email} {path} : {width} px de large à {WIDTH} px")
        text = page.evaluate("() => document.body.innerText")
        for match in sorted({m.group(0) for m in ENGLISH.finditer(text)}):
            problems.append(f"{email} {path} : mot anglais « {match} »")
        for href in _same_site_links(page):
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target in seen or SKIP_PATH.search(parts.path):
                continue
            name = _url_name(parts.path)
            if name is None or name in SKIP_URL_NAMES or per_name[name] >= PER_URL_NAME:
                continue
            per_name[name] += 1
            seen.add(target)
            queue.append(target)
    return visited, problems


@pytest.fixture
def demo_data(live_server, django_db_blocker):
    call_command("seed_demo", verbosity=0)


def test_every_page_of_every_demo_account_is_french_and_fits_360px(browser_session, base_url, demo_data):
    problems, counts = [], {}
    for email in ACCOUNTS:
        page = browser_session.new_page(viewport={"width": WIDTH, "height": 800})
        login(page, base_url, email)
        visited, found = crawl(page, base_url, email)
        counts[email] = len(visited)
        problems += found
        page.context.close()
    assert not problems, "\n".join(problems)
    # the crawl really walked the application (a broken login or menu would visit one page)
    assert all(count >= 8 for email, count in counts.items() if "partenaire" not in email), counts
    assert sum(counts.values()) >= 150, counts
