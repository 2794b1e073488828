"""Fixtures: the test OpenID Connect provider as a subprocess, and Tremplin's ProConnect settings pointed at it.

Import both names in a test module (``# noqa: F401``) and ask for ``proconnect_settings`` with
``request.getfixturevalue`` (a parameter of the same name as an import would shadow it).

- ``oidc_provider`` (session): ``python -m tests.oidc_provider.server`` on a free port of 127.0.0.1, waited for
  until its discovery document answers, terminated (then killed if need be) at the end of the session; its log
  is in the temporary folder and quoted if it fails to start.
- ``proconnect_settings``: Tremplin's ``PROCONNECT_*`` settings for that provider (restored by ``settings``).
"""

import os
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests


ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30
DEFAULT_PASSWORD = "mot-de-passe-du-fournisseur"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class OIDCProvider:
    url: str
    issuer: str
    client_id: str
    client_secret: str
    control_token: str
    process: subprocess.Popen

    def configure(self, *, redirect_uris=(), post_logout_redirect_uris=(), people=()):
        response = requests.post(
            f"{self.url}/_control/",
            json={
                "redirect_uris": list(redirect_uris),
                "post_logout_redirect_uris": list(post_logout_redirect_uris),
                "people": list(people),
            },
            headers={"X-Control-Token": self.control_token},
            timeout=10,
        )
        response.raise_for_status()

    def person(self, username, *, email=None, password=DEFAULT_PASSWORD, sub=None, amr=None, acr=None, **claims):
        """Declare (or update) a person at the provider; ``email`` defaults to ``username``."""
        person = {"username": username, "email": email or username, "password": password, **claims}
        if sub is not None:
            person["sub"] = sub
        if amr is not None:
            person["amr"] = list(amr)
        if acr is not None:
            person["acr"] = acr
        self.configure(people=[person])
        return person


def _wait_until_up(process, discovery_url, log_path):
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            if requests.get(discovery_url, timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    log = log_path.read_text(errors="replace")[-3000:]
    pytest.fail(f"le fournisseur OpenID Connect de test n'a pas démarré ({discovery_url}) :\n{log}")


def _stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    data = tmp_path_factory.mktemp("oidc-provider")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    provider = {
        "url": url,
        "issuer": f"{url}/o",
        "client_id": "tremplin-" + secrets.token_hex(4),
        "client_secret": secrets.token_urlsafe(32),
        "control_token": secrets.token_urlsafe(32),
    }
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_")) and key not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
            "OIDC_PROVIDER_DATA": str(data),
            "OIDC_PROVIDER_ISSUER": provider["issuer"],
            "OIDC_PROVIDER_CLIENT_ID": provider["client_id"],
            "OIDC_PROVIDER_CLIENT_SECRET": provider["client_secret"],
            "OIDC_PROVIDER_CONTROL_TOKEN": provider["control_token"],
            "OIDC_PROVIDER_SECRET_KEY": secrets.token_urlsafe(32),
            "PYTHONPATH": str(ROOT),
        }
    )
    log_path = data / "provider.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.oidc_provider.server", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(process, f"{provider['issuer']}/.well-known/openid-configuration", log_path)
        yield OIDCProvider(process=process, **provider)
    finally:
        _stop(process)


@pytest.fixture
def proconnect_settings(oidc_provider, settings):
    """ProConnect on, pointed at the test provider (discovery from its issuer)."""
    settings.PROCONNECT_CLIENT_ID = oidc_provider.client_id
    settings.PROCONNECT_CLIENT_SECRET = oidc_provider.client_secret
    settings.PROCONNECT_ISSUER = oidc_provider.issuer
    for name in ("AUTHORIZATION", "TOKEN", "USERINFO", "JWKS", "END_SESSION"):
        setattr(settings, f"PROCONNECT_{name}_ENDPOINT", "")
    return oidc_provider


def callback_uri(base_url):
    """Tremplin's redirect URI for a server at ``base_url`` (what the provider must know)."""
    return base_url.rstrip("/") + "/connexion/proconnect/retour/"


def logout_uri(base_url):
    return base_url.rstrip("/") + "/deconnexion/proconnect/"


def host_of(url):
    return urlsplit(url).netloc
