"""Fixtures of the browser journeys: Debian's Chromium driven by Playwright against pytest-django's live_server.

- ``chromium`` (module): one headless Chromium launched from /usr/bin/chromium (never ``playwright install``).
- ``browser_session``: opens pages in fresh browser contexts (one per person: the partner and the conseillère
  of journey 2 each get their own cookies) and fails the test on any JavaScript error or CSP violation.
- ``page``: the first page of that session, 1280×900.
- ``demo``: organisations, accounts and operations of ``seed_demo --empty`` (data set up before the journey;
  the journey itself only clicks and types).
- ``check``: :class:`tests.browser.support.PageChecker` for the current test (axe, 360 px, screenshots).
"""

import os
import re
import shutil
import time
from dataclasses import dataclass, field

import pytest
from django.core.management import call_command
from django.db import connection, connections

from tests.browser.support import DESKTOP, PageChecker


CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEFAULT_TIMEOUT_MS = 15_000


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Every test of this folder is a browser test, run in one xdist group (one Chromium, one live server).

    Each module also says so in its ``pytestmark``; this catches a module that forgets (before xdist reads the
    groups, hence ``tryfirst``)."""
    for item in items:
        if "tests/browser/" in item.nodeid.replace("\\", "/"):
            if item.get_closest_marker("browser") is None:
                item.add_marker(pytest.mark.browser)
            if item.get_closest_marker("xdist_group") is None:
                item.add_marker(pytest.mark.xdist_group("browser"))


# While Playwright's sync API is started, an asyncio loop counts as running in this thread and Django refuses
# ORM calls ("async unsafe") from fixtures and tests. As the brief of these tests says, the variable is set for the
# test process (other folders' browser journeys import these fixtures and rely on it). A subprocess that runs
# `check --deploy` must drop it from its environment (tests/security/test_headers.py does).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The driver lives as long as a test module that uses it (module scope), so another folder that starts its own
# Playwright (tests/workshops) never meets a running one. One driver per process even when another conftest
# imports the ``chromium`` fixture (pytest then holds two definitions), hence the reference count.
_SHARED = {"users": 0}


def _launch():
    if "browser" not in _SHARED:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        _SHARED["playwright"] = playwright
        _SHARED["browser"] = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    _SHARED["users"] += 1
    return _SHARED["browser"]


def _release():
    _SHARED["users"] -= 1
    if _SHARED["users"] == 0 and "browser" in _SHARED:
        _SHARED.pop("browser").close()
        # Django keeps its connections in an asgiref Local: while Playwright's loop runs they belong to that
        # context. Close them now, or the connection opened meanwhile outlives the loop and the final
        # DROP DATABASE fails ("database is being accessed by other users").
        connections.close_all()
        _SHARED.pop("playwright").stop()


@pytest.fixture(scope="session")
def _stray_connections_ended(django_db_setup, django_db_blocker):
    """Before the test database is dropped, end the connections that live-server threads may still hold
    (a thread still answering a browser that was just closed); otherwise DROP DATABASE fails at the very end."""
    yield
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
        connections.close_all()


@pytest.fixture(scope="module")
def chromium(_stray_connections_ended):
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(
            f"Chromium introuvable ({CHROMIUM}) : installez le paquet Debian chromium (scripts/system-deps.sh)"
        )
    browser = _launch()
    yield browser
    _release()


# Console messages that are expected and harmless.
IGNORED_CONSOLE = [re.compile(r"favicon\.ico")]


@dataclass
class BrowserSession:
    browser: object
    base_url: str
    contexts: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    allowed: list = field(default_factory=list)

    def new_page(self, viewport=None, **context_kwargs):
        context = self.browser.new_context(
            viewport=viewport or DESKTOP, locale="fr-FR", timezone_id="Europe/Paris", **context_kwargs
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        self.contexts.append(context)
        page = context.new_page()
        page.on("console", lambda msg: self._console(page, msg))
        page.on("pageerror", lambda exc: self.errors.append(f"{page.url}: exception JavaScript : {exc}"))
        return page

    def _console(self, page, message):
        if message.type == "error":
            source = (message.location or {}).get("url", "")
            self.errors.append(f"{page.url}: console : {message.text} ({source})")

    def allow(self, pattern):
        """Accept console errors matching ``pattern`` (e.g. the 404 of a page the test expects to be missing)."""
        self.allowed.append(re.compile(pattern))

    def unexpected_errors(self):
        patterns = IGNORED_CONSOLE + self.allowed
        return [e for e in self.errors if not any(p.search(e) for p in patterns)]

    def close(self):
        for context in self.contexts:
            context.close()


def wait_for_server_connections(timeout=5.0):
    """Wait until the live server's request threads have closed their database connections.

    Closing the browser ends its keep-alive sockets; the server threads then close their connections, a little
    later. Without this wait the database flush (TRUNCATE) of the test, or the final DROP DATABASE, can race them
    ("database is being accessed by other users")."""
    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.05)


@pytest.fixture
def browser_session(chromium, live_server):
    session = BrowserSession(browser=chromium, base_url=live_server.url)
    yield session
    session.close()
    wait_for_server_connections()
    errors = session.unexpected_errors()
    assert not errors, "erreurs JavaScript / CSP dans le navigateur :\n" + "\n".join(errors)


@pytest.fixture
def page(browser_session):
    return browser_session.new_page()


@pytest.fixture
def blank_page(chromium):
    """A page without the live server (no database): for checks on pages built with ``set_content``."""
    context = chromium.new_context(viewport=DESKTOP, locale="fr-FR")
    yield context.new_page()
    context.close()


@pytest.fixture
def base_url(live_server):
    return live_server.url


@pytest.fixture
def check(request):
    checker = PageChecker(test_name=request.node.name)
    checker.forget_old_screenshots()
    return checker


@dataclass
class Demo:
    orgs: dict
    users: dict
    operations: dict


@pytest.fixture
def demo(live_server, django_db_blocker):
    """The demo organisations, accounts (password ``tremplin-demo``) and operations, without activity data."""
    from core.models import Organisation, User
    from funding.models import Operation

    call_command("seed_demo", "--empty", verbosity=0)
    sigles = {"acsrv": "ACSRV", "carvin": "CCAS Carvin", "capep": "CAPEP", "cao59": "CAO 59", "ml": "Mission Locale"}
    orgs = {key: Organisation.objects.get(sigle=sigle) for key, sigle in sigles.items()}
    users = {user.email: user for user in User.objects.all()}
    operations = {op.code: op for op in Operation.objects.filter(code__in=["EME", "NOE"])}
    return Demo(orgs=orgs, users=users, operations=operations)
