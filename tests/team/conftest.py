import re

import pytest
from django.core import mail

from core.models import Role


LINK = re.compile(r"https?://[^\s]+/invitation/equipe/[^/\s]+/")


def link_in_last_mail():
    return LINK.search(mail.outbox[-1].body).group(0)


@pytest.fixture
def coordination(client, world):
    client.force_login(world.users_a[Role.COORDINATEUR])
    return client


@pytest.fixture
def invite(coordination, django_capture_on_commit_callbacks):
    """Invite through /equipe/inviter/ as world.org_a's coordination; returns the link of the e-mail sent."""

    def _invite(email="nouvelle@exemple.fr", role=Role.CONSEILLERE, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            response = coordination.post(
                "/equipe/inviter/", {"email": email, "role": role, "first_name": "Lina", "last_name": "Roux", **extra}
            )
        assert response.status_code == 302, response.content.decode()[:2000]
        return link_in_last_mail()

    return _invite
