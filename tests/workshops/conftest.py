import pytest

# The browser fixtures of tests/browser (live server, demo accounts, accessibility checker, session with JS/CSP
# error collection). ``chromium`` is redefined below: a second Playwright sync instance cannot start while the
# session-scoped one of tests/browser is alive, so this folder's journeys run first, in their own module-scoped
# Chromium, closed before tests/browser starts its own.
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, base_url, browser_session, check, demo, page  # noqa: F401


JOURNEYS = "tests/workshops/test_journey_browser.py"


@pytest.fixture(scope="module")
def chromium():
    import os
    import shutil

    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium introuvable ({CHROMIUM})")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def pytest_collection_modifyitems(config, items):
    """Mark this folder's browser journeys and run them before every other test (see above)."""
    with_xdist = config.pluginmanager.hasplugin("xdist")
    journeys = [item for item in items if JOURNEYS in item.nodeid.replace("\\", "/")]
    for item in journeys:
        item.add_marker(pytest.mark.browser)
        if with_xdist:
            item.add_marker(pytest.mark.xdist_group("browser"))
    if journeys:
        others = [item for item in items if item not in journeys]
        items[:] = journeys + others
