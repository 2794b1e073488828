"""Settings of the test OpenID Connect provider (never Tremplin's): everything comes from the fixture's environment."""

import os
from pathlib import Path


DATA = Path(os.environ["OIDC_PROVIDER_DATA"])
ISSUER = os.environ["OIDC_PROVIDER_ISSUER"]
CONTROL_TOKEN = os.environ["OIDC_PROVIDER_CONTROL_TOKEN"]
CLIENT_ID = os.environ["OIDC_PROVIDER_CLIENT_ID"]
CLIENT_SECRET = os.environ["OIDC_PROVIDER_CLIENT_SECRET"]

SECRET_KEY = os.environ["OIDC_PROVIDER_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "tests.oidc_provider.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).parent / "templates"],  # before the app templates: no static file, no English base
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": DATA / "provider.sqlite3"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A throwaway database: tables straight from the models (``migrate --run-syncdb``), seconds faster than migrations.
MIGRATION_MODULES = {app.rsplit(".", 1)[-1]: None for app in INSTALLED_APPS}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
USE_TZ = True
LOGIN_URL = "/accounts/login/"
STATIC_URL = "/static/"
# The provider's cookies must not collide with Tremplin's on the same host name (cookies ignore the port).
SESSION_COOKIE_NAME = "provider_sessionid"
CSRF_COOKIE_NAME = "provider_csrftoken"

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": (DATA / "rsa.pem").read_text(),
    "OIDC_ISS_ENDPOINT": ISSUER,
    "PKCE_REQUIRED": False,  # ProConnect's authorize endpoint takes no code_challenge
    "SCOPES": {
        "openid": "Identifiant technique (sub)",
        "email": "Adresse e-mail professionnelle",
        "given_name": "Prénoms",
        "usual_name": "Nom d'usage",
        "siret": "SIRET de la structure",
        "uid": "Identifiant auprès du fournisseur d'identité",
    },
    "DEFAULT_SCOPES": ["openid"],
    "OAUTH2_VALIDATOR_CLASS": "tests.oidc_provider.validators.ProConnectLikeValidator",
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"django.server": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
