"""Laptop demo: SQLite, Celery eager, no 2FA requirement (see `make run`).

DEBUG is off unless asked (`make run DEBUG=true`): the demo shows the French error pages a user would see, not
Django's English technical pages. Static files are served by whitenoise from the source folders, over plain HTTP
on 127.0.0.1, with a signing key that is only ever the dev settings' own.
"""

import os


os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
os.environ.setdefault("HTTPS_ONLY", "false")
os.environ.setdefault("REQUIRE_2FA", "false")
os.environ.setdefault("LOG_FORMAT", "text")

from config.settings.base import *  # noqa: E402,F403


STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
