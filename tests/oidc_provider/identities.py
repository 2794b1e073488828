"""The people known to the test provider, with their ProConnect-like claims (a JSON file in the data folder)."""

import json

from django.conf import settings


def path():
    return settings.DATA / "identities.json"


def load():
    try:
        return json.loads(path().read_text())
    except FileNotFoundError:
        return {}


def save(identities):
    path().write_text(json.dumps(identities))
