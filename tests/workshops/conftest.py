import pytest

# The browser fixtures of tests/browser (live server, demo accounts, accessibility checker, session with JS/CSP
# error collection). ``chromium`` is redefined: fixtures of tests/browser are not visible from this folder.
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, base_url, browser_session, check, demo, page  # noqa: F401


JOURNEYS = "tests/workshops/test_journey_browser.py"


@pytest.fixture(scope="session")
def chromium():
    import os
    import shutil

    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium introuvable ({CHROMIUM})")
    from playwright.sync_api import Error, sync_playwright

    manager = sync_playwright()
    try:
        playwright = manager.__enter__()
    except Error as exc:
        # tests/browser's session-scoped Playwright is already running in this process: a second sync instance
        # cannot start. Run these journeys on their own: pytest tests/workshops/test_journey_browser.py
        pytest.skip(f"Playwright déjà démarré par tests/browser dans ce processus : {exc.message.splitlines()[0]}")
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()
    manager.__exit__(None, None, None)


def pytest_collection_modifyitems(config, items):
    """Mark this folder's browser journeys like those of tests/browser."""
    with_xdist = config.pluginmanager.hasplugin("xdist")
    for item in items:
        if JOURNEYS in item.nodeid.replace("\\", "/"):
            item.add_marker(pytest.mark.browser)
            if with_xdist:
                item.add_marker(pytest.mark.xdist_group("browser"))
