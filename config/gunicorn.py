"""gunicorn settings (Dockerfile, docker-compose.yml): its own log lines in the application's JSON format.

No access log here: Django logs every 4xx and 5xx with its request id, and the reverse proxy in front logs each
request (a query string can hold a searched name: keep it out of the logs there too). WEB_CONCURRENCY: worker
processes per container (3 by default).
"""

import os


bind = "0.0.0.0:8000"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "core.observability.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
    },
}
