"""Run the test OpenID Connect provider: ``python -m tests.oidc_provider.server --port 8123``.

The environment (set by the fixture) names the data folder, the issuer, the client and the control token. At
start-up: an RSA key (RS256), the SQLite schema, the confidential application for Tremplin; then a threaded
WSGI server on 127.0.0.1 until the process is terminated.
"""

import argparse
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def generate_key(data):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    (data / "rsa.pem").write_bytes(pem)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    port = parser.parse_args().port
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    generate_key(Path(os.environ["OIDC_PROVIDER_DATA"]))

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import get_application_model

    call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)
    Application = get_application_model()
    Application.objects.create(
        name="Tremplin",
        client_id=settings.CLIENT_ID,
        client_secret=settings.CLIENT_SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        algorithm=Application.RS256_ALGORITHM,
        redirect_uris="",
        post_logout_redirect_uris="",
        skip_authorization=False,
    )
    run("127.0.0.1", port, get_wsgi_application(), threading=True)


if __name__ == "__main__":
    main()
