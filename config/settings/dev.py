"""Laptop demo: DEBUG on, SQLite, Celery eager, no 2FA requirement (see `make run`)."""

import os


os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("REQUIRE_2FA", "false")
os.environ.setdefault("LOG_FORMAT", "text")

from config.settings.base import *  # noqa: E402,F403


STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
