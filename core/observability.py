"""Operations: a request id on every request and log line, JSON logs without personal data, optional Sentry.

A log line is one JSON object: time (UTC), level, logger, message, request_id, organisation_id, user_id (ids only,
never a name or an e-mail; e-mail addresses that slip into a message are masked), plus task and task_id in a Celery
worker and exception when there is a traceback. See docs/exploitation.md, "Journaux".
"""

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

from django.utils.functional import SimpleLazyObject, empty


REQUEST_ID_HEADER = "X-Request-ID"
# An incoming id is kept only if it is short and plain (a UUID, a proxy's hex id…): it is echoed in a header and
# written in every log line, so anything else (spaces, quotes, newlines) is replaced by a fresh id.
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
EMAIL_MASK = "[e-mail masqué]"

current_request = contextvars.ContextVar("tremplin_current_request", default=None)


class RequestIdMiddleware:
    """First middleware: ``request.request_id`` from a well-formed ``X-Request-ID`` or a new UUID, echoed back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request.request_id = incoming if VALID_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        token = current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        response[REQUEST_ID_HEADER] = request.request_id
        return response


def request_ids(request):
    """(request_id, organisation_id, user_id) of a request, without triggering any query."""
    if request is None:
        return None, None, None
    organisation = request.__dict__.get("organisation")  # set by core.middleware.OrganisationMiddleware
    user = request.__dict__.get("user")  # a lazy object: only read once authentication has evaluated it
    if isinstance(user, SimpleLazyObject):
        user = None if user._wrapped is empty else user._wrapped
    user_id = user.pk if user is not None and getattr(user, "is_authenticated", False) else None
    return getattr(request, "request_id", None), getattr(organisation, "pk", None), user_id


def _current_task():
    from celery import current_task  # a proxy: false outside a task

    if not current_task or not getattr(current_task.request, "id", None):
        return None
    return current_task


class JsonFormatter(logging.Formatter):
    def format(self, record):
        # django.request and django.server log after the middleware chain returned: they carry the request.
        request = current_request.get() or getattr(record, "request", None)
        if request is not None and not hasattr(request, "META"):
            request = None  # e.g. a socket, for django.server
        request_id, organisation_id, user_id = request_ids(request)
        payload = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": EMAIL.sub(EMAIL_MASK, record.getMessage()),
            "request_id": request_id,
            "organisation_id": organisation_id,
            "user_id": user_id,
        }
        task = _current_task()
        if task is not None:
            payload["task"] = task.name
            payload["task_id"] = task.request.id
        if record.exc_info:
            payload["exception"] = EMAIL.sub(EMAIL_MASK, self.formatException(record.exc_info))
        return json.dumps(payload, ensure_ascii=False, default=str)


def axes_client_str(username, ip_address, user_agent, path_info, request):
    """django-axes writes this in its warnings instead of the e-mail and IP address that were tried."""
    request_id = getattr(request, "request_id", None)
    return f"{{path_info: {path_info!r}, request_id: {request_id!r}}}"


def _sentry_before_send(event, hint):
    request_id, organisation_id, user_id = request_ids(current_request.get())
    event["user"] = {"id": str(user_id)} if user_id else {}
    tags = event.setdefault("tags", {})
    if request_id:
        tags["request_id"] = request_id
    if organisation_id:
        tags["organisation_id"] = str(organisation_id)
    request = event.get("request")
    if request:  # keep method and URL only: no query string, body, cookies or headers
        event["request"] = {key: request[key] for key in ("method", "url") if key in request}
    return event


OFF = {"mode": "off"}
NO_PERSONAL_DATA = {
    "user_info": False,
    "cookies": OFF,
    "http_headers": {"request": OFF},
    "http_bodies": [],
    "url_query_params": OFF,
    "stack_frame_variables": False,
    "database_query_data": False,
    "queues": False,
    "gen_ai": {"inputs": False, "outputs": False},
    "graphql": {"document": False, "variables": False},
}


def sentry_init(*, dsn, environment, release, traces_sample_rate, transport=None):
    """Error reporting, only when SENTRY_DSN is set (config/settings/base.py). No personal data is sent."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    options = {}
    if transport is not None:
        options["transport"] = transport
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        traces_sample_rate=traces_sample_rate,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        # What send_default_pii=False meant, and stricter: this sentry-sdk deprecates send_default_pii in favour
        # of data_collection (and warns when both are given). No user e-mail or name, no IP address, no cookies,
        # headers, query strings or bodies (form posts hold the jeunes' personal data), no local variables
        # (a Jeune's __str__ is a name), no SQL parameters. before_send strips the request again.
        data_collection=NO_PERSONAL_DATA,
        before_send=_sentry_before_send,
        **options,
    )
