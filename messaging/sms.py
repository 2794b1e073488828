"""SMS delivery backends, chosen by the ``SMS_URL`` setting (docs/messaging.md).

- ``console://``: the message is written on standard output (the laptop demo);
- ``file:///un/dossier``: one JSON file per message (``to``, ``body``, ``sender``, ``date``), for tests;
- ``brevo://<clé-api>@api.brevo.com?sender=Tremplin``: Brevo's transactional SMS API
  (``POST /v3/transactionalSMS/send``, header ``api-key``, JSON ``{"sender", "recipient", "content", "type"}``).
  ``brevo+http://`` talks plain HTTP (a local test server only).

``send(to, body)`` takes an E.164 number and returns the provider's message id. It raises ``TransientSmsError``
(429, 5xx, network: worth another try later) or ``PermanentSmsError`` (400, 401, 402…: another try fails the same
way).
"""

import json
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone


class SmsError(Exception):
    pass


class TransientSmsError(SmsError):
    pass


class PermanentSmsError(SmsError):
    pass


class ConsoleBackend:
    def __init__(self, stream=None, sender="Tremplin"):
        self.stream = stream
        self.sender = sender

    def send(self, to, body):
        stream = self.stream or sys.stdout
        stream.write(f"SMS de {self.sender} à {to} :\n{body}\n{'-' * 40}\n")
        stream.flush()
        return ""


class FileBackend:
    def __init__(self, folder, sender="Tremplin"):
        self.folder = Path(folder)
        self.sender = sender

    def send(self, to, body):
        self.folder.mkdir(parents=True, exist_ok=True)
        now = timezone.now()
        message_id = uuid.uuid4().hex
        # The clock may be frozen (tests): a monotonic counter keeps the files in the order they were written.
        path = self.folder / f"{now:%Y%m%d-%H%M%S-%f}-{time.perf_counter_ns():020d}-{message_id[:8]}.json"
        payload = {"to": to, "body": body, "sender": self.sender, "date": now.isoformat(), "id": message_id}
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
        return message_id


class BrevoBackend:
    PATH = "/v3/transactionalSMS/send"
    TRANSIENT_STATUSES = {408, 425, 429}

    def __init__(self, api_key, base_url, sender="Tremplin", timeout=10):
        if not api_key:
            raise ImproperlyConfigured("SMS_URL brevo:// : la clé d'API manque (brevo://<clé>@api.brevo.com).")
        self.api_key = api_key
        self.url = base_url.rstrip("/") + self.PATH
        self.sender = sender
        self.timeout = timeout

    def send(self, to, body):
        payload = {
            "sender": self.sender,
            "recipient": to.lstrip("+"),  # Brevo wants the international number without the plus sign
            "content": body,
            "type": "transactional",
            "unicodeEnabled": True,
        }
        request = urllib.request.Request(  # noqa: S310 - the scheme is https (or http for a test server), from SMS_URL
            self.url,
            data=json.dumps(payload).encode(),
            method="POST",
            headers={"api-key": self.api_key, "accept": "application/json", "content-type": "application/json"},
        )
        try:
            # nosec B310 - the scheme is https, or http for brevo+http:// (a test server), built in backend_from_url
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310  # nosec B310
                answer = _json(response.read())
        except urllib.error.HTTPError as exc:
            answer = _json(exc.read())
            detail = f"Brevo HTTP {exc.code}"
            if answer.get("code") or answer.get("message"):
                detail += f" {answer.get('code', '')} : {answer.get('message', '')}".rstrip(" :")
            if exc.code in self.TRANSIENT_STATUSES or exc.code >= 500:
                raise TransientSmsError(detail) from None
            raise PermanentSmsError(detail) from None
        except (urllib.error.URLError, OSError) as exc:  # refused, reset, timeout, DNS
            reason = getattr(exc, "reason", exc)
            raise TransientSmsError(f"Brevo injoignable : {reason}") from None
        return str(answer.get("messageId") or answer.get("reference") or "")


def _json(raw):
    try:
        value = json.loads(raw or b"{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def backend_from_url(url):
    parts = urlsplit(url or "console://")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    sender = query.get("sender", "Tremplin")
    if parts.scheme == "console":
        return ConsoleBackend(sender=sender)
    if parts.scheme == "file":
        folder = unquote(parts.path)
        if not folder:
            raise ImproperlyConfigured("SMS_URL file:// : indiquez un dossier (file:///chemin/du/dossier).")
        return FileBackend(folder, sender=sender)
    if parts.scheme in ("brevo", "brevo+http"):
        scheme = "http" if parts.scheme == "brevo+http" else "https"
        host = parts.hostname or "api.brevo.com"
        netloc = f"{host}:{parts.port}" if parts.port else host
        return BrevoBackend(
            api_key=unquote(parts.username or ""),
            base_url=f"{scheme}://{netloc}",
            sender=sender,
            timeout=float(query.get("timeout", 10)),
        )
    raise ImproperlyConfigured(f"SMS_URL : schéma inconnu « {parts.scheme} » (console://, file://, brevo://).")


def get_backend():
    return backend_from_url(getattr(settings, "SMS_URL", "console://"))
