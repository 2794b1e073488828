"""Test settings: PostgreSQL (DATABASE_URL) and Redis, production-like security over plain HTTP."""

import os


os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("HTTPS_ONLY", "false")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tremplin")

from config.settings.base import *  # noqa: E402,F403


PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
CELERY_TASK_ALWAYS_EAGER = True
REQUIRE_2FA = False
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
SMS_URL = "file://" + str(BASE_DIR / ".test-media" / "sms")  # noqa: F405 - tests point it at their own folder
