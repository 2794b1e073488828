import pytest

# The browser fixtures (Chromium, live server, demo accounts, accessibility checker) of tests/browser.
from tests.browser.conftest import base_url, browser_session, check, chromium, demo, page  # noqa: F401


def pytest_collection_modifyitems(config, items):
    """Browser journeys of this folder run with the other browser tests (one Chromium, one live server)."""
    with_xdist = config.pluginmanager.hasplugin("xdist")
    for item in items:
        if "tests/workshops/test_journey_browser.py" in item.nodeid.replace("\\", "/"):
            item.add_marker(pytest.mark.browser)
            if with_xdist:
                item.add_marker(pytest.mark.xdist_group("browser"))
