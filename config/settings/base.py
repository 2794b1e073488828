"""Base settings: everything is read from the environment (see README, "Configuration")."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab


BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
else:
    SECRET_KEY = env("SECRET_KEY")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "simple_history",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",
    "notifications",
    "home",
    "funding",
    "expenses",
    "youth",
    "outreach",
    "diagnostics",
    "employers",
    "workshops",
    "aids",
    "agenda",
    "messaging",
    "reports",
    "privacy",
    "team",
]

MIDDLEWARE = [
    # First: every response and log line of the request carries its X-Request-ID.
    "core.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Early: a NUL byte, invalid UTF-8 or an over-long query value gets a French 400, never a view (never a 500).
    "core.middleware.RejectBadInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Renews the idle expiry at most every SESSION_RENEW_AFTER seconds (no session write on every request).
    "core.middleware.SessionRenewalMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "core.middleware.OrganisationMiddleware",
    "core.twofactor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the French lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.organisation",
                "notifications.context_processors.unread",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles any query its planner estimates above jit_above_cost: for the short queries of a
    # web page, compiling costs far more than it saves (the caseload's to-do counts: 3.4 s of JIT for 0.1 s of
    # execution at 20 000 young people, bench/RESULTS.md). Off per connection, whatever the server's default.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"]["options"] = " ".join(
        filter(None, [DATABASES["default"]["OPTIONS"].get("options", ""), "-c jit=off"])
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    # Refuses logins while a username + IP pair is locked out (django-axes), then the usual model backend.
    "core.auth_backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
    # ProConnect (OpenID Connect): only ever called by its callback view, never by a password login.
    "core.proconnect.ProConnectBackend",
]
LOGIN_URL = "/connexion/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/connexion/"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Cache: CACHE_URL (e.g. redis://…/1), else memory of the process (development, tests); production defaults to Redis.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
CACHES["default"].setdefault("KEY_PREFIX", "tremplin")
# Sessions: read from the cache, written through to the database (a cache flush logs nobody out).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Sessions expire after inactivity (seconds). Activity renews them, but at most once every SESSION_RENEW_AFTER
# seconds (core.middleware.SessionRenewalMiddleware), so a session is not written on every request: the idle
# timeout is between SESSION_COOKIE_AGE - SESSION_RENEW_AFTER and SESSION_COOKIE_AGE.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60)
SESSION_RENEW_AFTER = env.int("SESSION_RENEW_AFTER", default=5 * 60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# No MEDIA_URL is served: uploaded files are only streamed by views that check authorisation.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploads on S3-compatible object storage (Scaleway, OVHcloud, Clever Cloud Cellar…) when a bucket is named, so
# several web and worker containers share them (docs/exploitation.md). The bucket stays private: files are still
# streamed by the scoped views, never linked by a bucket URL. Without a bucket: the local MEDIA_ROOT.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default="") or None,
            "location": env("AWS_LOCATION", default=""),  # a prefix inside the bucket (several instances)
            "addressing_style": env("AWS_S3_ADDRESSING_STYLE", default="") or None,  # "path" or "virtual"
            "signature_version": "s3v4",
            "default_acl": env("AWS_DEFAULT_ACL", default="private") or None,
            "file_overwrite": False,  # never replace another upload of the same name
            "querystring_auth": True,  # a URL, if ever built, is signed and short-lived
            "querystring_expire": env.int("AWS_QUERYSTRING_EXPIRE", default=60),
        },
    }
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
UPLOAD_MAX_SIZE = env.int("UPLOAD_MAX_SIZE", default=10 * 1024 * 1024)
UPLOAD_ALLOWED_TYPES = ["application/pdf", "image/jpeg", "image/png"]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery: tasks run in-process when CELERY_TASK_ALWAYS_EAGER is true (laptop demo default).
REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {}
# The worker logs through Django's LOGGING (JSON lines), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Worker heartbeat (core.heartbeat): beat queues it every minute, a worker writes the time in Redis, /sante/ reports
# "erreur" when it is older than WORKER_HEARTBEAT_MAX_AGE seconds.
WORKER_HEARTBEAT_KEY = "tremplin:worker-heartbeat"
WORKER_HEARTBEAT_MAX_AGE = env.int("WORKER_HEARTBEAT_MAX_AGE", default=180)
CELERY_BEAT_SCHEDULE["battement-du-worker"] = {
    "task": "core.tasks.worker_heartbeat",
    "schedule": 60.0,
    "options": {"expires": 60},  # a stopped worker does not find a pile of stale heartbeats on restart
}

# In-app notifications: the daily digest (counts only) to the users who asked for it (notifications.tasks).
CELERY_BEAT_SCHEDULE["resume-des-notifications"] = {
    "task": "notifications.tasks.envoyer_resumes_quotidiens",
    "schedule": crontab(hour=7, minute=30),
}

# E-mail
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
# EMAIL_URL (django-environ: smtp://, smtp+tls://user:pass@host:587, consolemail://…) overrides the EMAIL_* above.
# A provider's HTTP API goes through django-anymail: EMAIL_BACKEND=anymail.backends.brevo.EmailBackend, and its key
# in ANYMAIL_BREVO_API_KEY (docs/exploitation.md, docs/messaging.md).
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
if env("ANYMAIL_BREVO_API_KEY", default=""):
    ANYMAIL = {"BREVO_API_KEY": env("ANYMAIL_BREVO_API_KEY")}
# SMS to young people (messaging.sms): console:// (demo), file:///dossier (tests), brevo://<clé>@api.brevo.com?sender=X
SMS_URL = env("SMS_URL", default="console://")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Tremplin <ne-pas-repondre@tremplin.local>")
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Security headers. HTTPS_ONLY defaults to on whenever DEBUG is off.
HTTPS_ONLY = env.bool("HTTPS_ONLY", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS_ONLY
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS_ONLY else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS_ONLY
SECURE_HSTS_PRELOAD = HTTPS_ONLY
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp 4): no inline scripts anywhere; all JS is served from /static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# Two-factor authentication is mandatory for coordinateurs and admins (REQUIRE_2FA), for all if REQUIRE_2FA_ALL.
REQUIRE_2FA = env.bool("REQUIRE_2FA", default=True)
REQUIRE_2FA_ALL = env.bool("REQUIRE_2FA_ALL", default=False)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Tremplin")
OTP_TOTP_TOLERANCE = 1
OTP_STATIC_RECOVERY_CODES = 10

# Brute-force protection (django-axes): 5 failures for one e-mail from one IP address lock it out for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
# One counter per account whatever the case typed (core.accounts.normalize_email, as login and lookups).
AXES_USERNAME_CALLABLE = "core.accounts.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.views.lockout"
AXES_CLIENT_IP_CALLABLE = "core.auth_backends.client_ip"
AXES_VERBOSE = False
# django-axes' warnings name the path and the request id, never the e-mail or the IP address that was tried.
AXES_CLIENT_STR_CALLABLE = "core.observability.axes_client_str"
# Behind a reverse proxy that sets X-Forwarded-For (docker-compose, nginx), trust its left-most address.
TRUST_X_FORWARDED_FOR = env.bool("TRUST_X_FORWARDED_FOR", default=False)

# ProConnect sign-in (OpenID Connect, core/proconnect.py): off unless the client id, the secret and the issuer (or
# the explicit endpoints) are set. The redirect URI to declare at ProConnect is <site>/connexion/proconnect/retour/,
# the post-logout one <site>/deconnexion/proconnect/. See docs/exploitation.md.
PROCONNECT_CLIENT_ID = env("PROCONNECT_CLIENT_ID", default="")
PROCONNECT_CLIENT_SECRET = env("PROCONNECT_CLIENT_SECRET", default="")
# https://auth.agentconnect.gouv.fr/api/v2 in production (fca.integ01.dev-agentconnect.fr in integration);
# discovery at <issuer>/.well-known/openid-configuration
PROCONNECT_ISSUER = env("PROCONNECT_ISSUER", default="")
# Explicit endpoints win over discovery (all four of authorization, token, userinfo, jwks make discovery useless).
PROCONNECT_AUTHORIZATION_ENDPOINT = env("PROCONNECT_AUTHORIZATION_ENDPOINT", default="")
PROCONNECT_TOKEN_ENDPOINT = env("PROCONNECT_TOKEN_ENDPOINT", default="")
PROCONNECT_USERINFO_ENDPOINT = env("PROCONNECT_USERINFO_ENDPOINT", default="")
PROCONNECT_JWKS_ENDPOINT = env("PROCONNECT_JWKS_ENDPOINT", default="")
PROCONNECT_END_SESSION_ENDPOINT = env("PROCONNECT_END_SESSION_ENDPOINT", default="")
PROCONNECT_SIGN_ALGO = env("PROCONNECT_SIGN_ALGO", default="RS256")  # RS256 or ES256, as declared at ProConnect
PROCONNECT_SCOPES = env("PROCONNECT_SCOPES", default="openid email given_name usual_name siret uid")
PROCONNECT_ACR_VALUES = env("PROCONNECT_ACR_VALUES", default="")  # not sent when empty (ProConnect's default)
# The identity provider asserted a second factor when the ID token's amr holds one of these (RFC 8176: "mfa")
# or its acr is one of ProConnect's 2FA levels; Tremplin then skips its own one-time code.
PROCONNECT_MFA_AMR = env.list("PROCONNECT_MFA_AMR", default=["mfa"])
PROCONNECT_MFA_ACR = env.list(
    "PROCONNECT_MFA_ACR",
    default=[
        "eidas2",
        "eidas3",
        "https://proconnect.gouv.fr/assurance/self-asserted-2fa",
        "https://proconnect.gouv.fr/assurance/consistency-checked-2fa",
    ],
)
PROCONNECT_TIMEOUT = env.int("PROCONNECT_TIMEOUT", default=10)
PROCONNECT_DISCOVERY_CACHE_SECONDS = env.int("PROCONNECT_DISCOVERY_CACHE_SECONDS", default=60 * 60)

# Personal data: retention (DESIGN.md "Data protection"), run daily by Celery beat (privacy.tasks).
RETENTION_ARCHIVE_AFTER_DAYS = env.int("RETENTION_ARCHIVE_AFTER_DAYS", default=2 * 365)
RETENTION_AUDIT_YEARS = 5  # audit hold: 5 years from 31 December of the year of the last FSE payment
# Rendez-vous reminders (messaging.tasks): every 10 minutes, the ones due since each organisation's reminder time.
CELERY_BEAT_SCHEDULE["rappels-de-rendez-vous"] = {
    "task": "messaging.tasks.rappels_send",
    "schedule": 600.0,
    "options": {"expires": 540},
}
CELERY_BEAT_SCHEDULE["conservation-des-donnees"] = {
    "task": "privacy.tasks.retention_daily",
    "schedule": crontab(hour=3, minute=30),
}

# Processing register (art. 30 GDPR), rendered at /rgpd/registre/.
TREMPLIN_PROCESSING_REGISTER = {
    "responsable": env("TREMPLIN_CONTROLLER", default="La structure porteuse de l'opération (voir l'organisation)"),
    "dpo": env("TREMPLIN_DPO_CONTACT", default="dpo@structure.example"),
    "traitements": [
        {
            "nom": "Suivi des parcours d'insertion des jeunes NEET",
            "finalites": [
                "Accompagner les jeunes de 16 à 29 ans vers l'emploi ou la formation",
                "Rendre compte au financeur (FSE+ / IEJ) : indicateurs d'entrée et de sortie, bilans",
            ],
            "bases_legales": [
                "Obligation légale : suivi des participants FSE+ (règlement (UE) 2021/1057, art. 17 et annexe I ; "
                "règlement (UE) 2021/1060)",
                "Mission d'intérêt public : insertion sociale et professionnelle des jeunes",
            ],
            "personnes": ["Jeunes repérés, orientés ou accompagnés", "Représentants légaux des mineurs"],
            "categories": [
                "Identité (nom, prénom, sexe, date de naissance)",
                "Coordonnées (téléphone, e-mail, adresse, personne à contacter)",
                "Situation à l'entrée et à la sortie (emploi, diplôme, nationalité par grande catégorie)",
                "Données sensibles facultatives (handicap, parent né à l'étranger, exclusion du logement), "
                "avec la réponse « ne souhaite pas répondre »",
                "Suivi : entretiens, diagnostics, ateliers, immersions, aides matérielles",
            ],
            "destinataires": [
                "Conseillères et coordination de la structure porteuse",
                "Partenaires orienteurs : uniquement leurs propres orientations et leur suite",
                "Autorité de gestion du FSE+ et corps de contrôle (données de suivi)",
                "Prestataires d'envoi des SMS et e-mails de rendez-vous (sous-traitants : numéro ou adresse, texte)",
            ],
            "transferts_hors_ue": "Aucun",
            "conservation": [
                "Dossier actif : 2 ans après le dernier contact",
                "Archivage à accès restreint (coordination) jusqu'à la date de contrôle de l'opération "
                "(5 ans à compter du 31 décembre de l'année du dernier paiement FSE)",
                "Puis anonymisation automatique (les chiffres des bilans restent inchangés)",
            ],
            "securite": [
                "Cloisonnement strict par organisation (chaque lecture passe par un contrôle de portée)",
                "Double authentification obligatoire pour la coordination et les administrateurs",
                "Verrouillage après 5 échecs de connexion pendant 15 minutes",
                "Expiration de session après 1 heure d'inactivité",
                "Journal des consultations et des modifications des dossiers",
                "HTTPS obligatoire, en-têtes de sécurité (CSP, HSTS), fichiers servis après contrôle d'accès",
            ],
        },
        {
            "nom": "Comptes des utilisateurs de Tremplin",
            "finalites": ["Authentifier les professionnels", "Tracer les connexions et les accès aux dossiers"],
            "bases_legales": ["Intérêt légitime : sécurité du système d'information"],
            "personnes": ["Salariés des structures porteuses et des partenaires"],
            "categories": ["Identité professionnelle, e-mail, historique de connexion (date, adresse IP, navigateur)"],
            "destinataires": ["Coordination de la structure", "Administrateurs techniques"],
            "transferts_hors_ue": "Aucun",
            "conservation": ["Journal des connexions et des consultations : 1 an"],
            "securite": ["Mots de passe hachés (12 caractères minimum)", "Double authentification"],
        },
    ],
}
AUDIT_LOG_RETENTION_DAYS = env.int("AUDIT_LOG_RETENTION_DAYS", default=365)

TREMPLIN_STRUCTURE_NAME = env("TREMPLIN_STRUCTURE_NAME", default="Tremplin")

# Logs on standard error, one JSON object a line (core.observability.JsonFormatter: time, level, logger, message,
# request_id, organisation_id, user_id; never personal data). LOG_FORMAT=text for a human reading a terminal.
LOG_FORMAT = env("LOG_FORMAT", default="json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "core.observability.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    "loggers": {
        # Django's own loggers go to the root handler too, instead of Django's default text console handler.
        "django": {"handlers": [], "level": env("LOG_LEVEL", default="WARNING"), "propagate": True},
    },
}

# Error reporting (Sentry or a compatible service such as GlitchTip), off unless SENTRY_DSN is set.
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    from core.observability import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        release=env("SENTRY_RELEASE", default=""),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
AUDIT_EXPORT_MAX_ROWS = env.int("AUDIT_EXPORT_MAX_ROWS", default=100_000)
