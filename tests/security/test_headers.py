"""Headers and transport: CSP on every page, production check --deploy, uploads never served publicly."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.db import models
from django.test import Client
from django.urls import reverse

from core.models import Role
from core.uploads import UploadValidator
from tests.authz import collect_registry, iter_patterns


pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE)
TAG = re.compile(r"<[a-zA-Z][^>]*>")
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
JSON_SCRIPT = re.compile(r'type\s*=\s*"application/(ld\+)?json"', re.IGNORECASE)


def csp_problems(response):
    problems = []
    policy = response.headers.get("Content-Security-Policy", "")
    if not policy:
        return ["pas d'en-tête Content-Security-Policy"]
    directives = dict((part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip())
    script_src = directives.get("script-src", directives.get("default-src", ""))
    if "'unsafe-inline'" in script_src or "'unsafe-eval'" in script_src:
        problems.append(f"script-src trop permissif : {script_src}")
    if "frame-ancestors" not in directives:
        problems.append("pas de frame-ancestors")
    if "text/html" in response.headers.get("Content-Type", ""):
        content = response.content.decode()
        for match in INLINE_SCRIPT.finditer(content):
            if not JSON_SCRIPT.search(match.group(0)):
                problems.append(f"script en ligne : {match.group(0)[:80]}")
        for tag in TAG.findall(content):
            if EVENT_HANDLER.search(tag):
                problems.append(f"attribut on*= : {tag[:80]}")
    return problems


def test_csp_detector_catches_inline_script_and_handlers():
    from django.http import HttpResponse

    bad = HttpResponse('<p>x</p><script>alert(1)</script><a href="#" onclick="x()">y</a>')
    bad["Content-Security-Policy"] = "default-src 'self'; script-src 'self' 'unsafe-inline'"
    problems = csp_problems(bad)
    assert any("script en ligne" in p for p in problems)
    assert any("on*=" in p for p in problems)
    assert any("trop permissif" in p for p in problems)
    good = HttpResponse('<script src="/static/js/x.js" defer></script><p>one=1</p>')
    good["Content-Security-Policy"] = "default-src 'self'; script-src 'self'; frame-ancestors 'none'"
    assert csp_problems(good) == []


def test_every_page_has_a_strict_csp_and_no_inline_script(world):
    object_urls, _ = collect_registry()
    staff = Client()
    staff.force_login(world.users_a[Role.COORDINATEUR])
    conseillere = Client()
    conseillere.force_login(world.users_a[Role.CONSEILLERE])
    partner = Client()
    partner.force_login(world.users_a[Role.PARTENAIRE])
    anonymous = Client()
    failures, checked = [], 0
    for name, route, pattern in iter_patterns():
        if name.startswith("admin:"):
            continue
        kwargs = {}
        if pattern.pattern.converters or "<" in route:
            if name not in object_urls:
                continue
            kwargs = object_urls[name](world)
        try:
            url = reverse(name, kwargs=kwargs)
        except Exception:  # noqa: BLE001 - an odd route is the harness' business, not this test's
            continue
        for client in (anonymous, staff, conseillere, partner):
            response = client.get(url)
            if response.status_code == 200 and not response.streaming:
                checked += 1
                failures.extend(f"{url}: {p}" for p in csp_problems(response))
            if response.streaming:  # file downloads: reading to the end makes the test client close the file
                b"".join(response.streaming_content)
    assert checked >= 10
    assert failures == []


def test_security_headers_on_a_page(client, coordinateur):
    client.force_login(coordinateur.user)
    response = client.get("/")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_production_settings_pass_check_deploy(tmp_path):
    """`manage.py check --deploy` with production settings: DEBUG off, HTTPS on, a long secret key → no warning."""
    base_dir = Path(django_settings.BASE_DIR)
    # a test-only variable (set by the browser tests) must not leak into the production check
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DEBUG": "false",
        "HTTPS_ONLY": "true",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "tremplin.example",
        "MEDIA_ROOT": str(tmp_path),
    }
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=base_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_a_missing_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.prod", "DEBUG": "false"})
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_https_settings_follow_https_only(settings):
    from config.settings import base

    if base.HTTPS_ONLY:  # pragma: no cover - tests run with HTTPS_ONLY=false
        assert base.SECURE_SSL_REDIRECT
    assert base.SECURE_CONTENT_TYPE_NOSNIFF is True
    assert base.X_FRAME_OPTIONS == "DENY"
    assert base.SESSION_COOKIE_HTTPONLY is True
    assert base.CSRF_COOKIE_HTTPONLY is True


# --- Uploads ----------------------------------------------------------------------------------------------


def test_media_url_is_not_routed(client, coordinateur, settings):
    media = Path(settings.MEDIA_ROOT)
    (media / "consentements").mkdir(parents=True)
    (media / "consentements" / "piece.pdf").write_bytes(b"%PDF-1.4 secret")
    client.force_login(coordinateur.user)
    for path in (
        "/media/consentements/piece.pdf",
        "/consentements/piece.pdf",
        "/static/../media/consentements/piece.pdf",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert b"secret" not in b"".join(getattr(response, "streaming_content", [response.content]))
    assert not getattr(settings, "MEDIA_URL", "").strip("/") or settings.MEDIA_URL not in ("/", "")
    assert Client().get("/media/consentements/piece.pdf").status_code == 404


# Files the application writes itself (never a user's upload): exempt, with the reason.
GENERATED_FILES = {
    "reports.BilanJob.fichier",  # the bilan PDF rendered by WeasyPrint in a Celery task
}


def test_every_file_field_of_the_project_validates_uploads():
    file_fields = []
    for model in apps.get_models():
        if getattr(model, "instance_type", None) is not None:  # history copies of a model
            continue
        for field in model._meta.get_fields():
            # editable=False: a file the application generates (a bilan PDF), never one a user uploads
            label = f"{model._meta.label}.{getattr(field, 'name', '')}"
            if isinstance(field, models.FileField) and field.editable and label not in GENERATED_FILES:
                file_fields.append(f"{model._meta.label}.{field.name}")
                assert any(isinstance(v, UploadValidator) for v in field.validators), (
                    f"{model._meta.label}.{field.name} n'utilise pas core.uploads.validate_upload"
                )
                assert callable(field.upload_to), f"{model._meta.label}.{field.name} : upload_to=upload_to(...)"
    # the check is only meaningful once apps have file fields; it still guards the ones added later
    assert isinstance(file_fields, list)


DEMO_PROBE = """
import django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
print("DEBUG", settings.DEBUG, "HTTPS", settings.HTTPS_ONLY)
print("STATIC", client.get("/static/css/tremplin.css").status_code)
missing = client.get("/page-qui-n-existe-pas/")
print("404", missing.status_code, "Page introuvable" in missing.content.decode())
"""


def test_the_demo_serves_french_error_pages_with_debug_off():
    """`make run` (the dev settings, no variable set): DEBUG off, plain HTTP on 127.0.0.1, static files served."""
    makefile = (Path(django_settings.BASE_DIR) / "Makefile").read_text()
    assert "DEBUG=true" not in makefile.split("RUN_ENV :=", 1)[1].splitlines()[0]
    unset = {"DEBUG", "SECRET_KEY", "HTTPS_ONLY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", DEMO_PROBE],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "DEBUG False HTTPS False" in result.stdout
    assert "STATIC 200" in result.stdout
    assert "404 404 True" in result.stdout
