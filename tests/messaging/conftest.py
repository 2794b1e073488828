import json

import pytest

from agenda.models import RendezVous
from agenda.signals import rendez_vous_planifie


@pytest.fixture
def sms_dir(settings, tmp_path):
    folder = tmp_path / "sms"
    settings.SMS_URL = f"file://{folder}"
    return folder


def sms_sent(folder):
    """The SMS the file backend wrote, oldest first."""
    if not folder.exists():
        return []
    return [json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))]


@pytest.fixture
def plan(django_capture_on_commit_callbacks):
    """Send the agenda's « planned » signal the way the agenda does (on commit), and run what it queued."""

    def plan(rdv):
        with django_capture_on_commit_callbacks(execute=True):
            rendez_vous_planifie.send(sender=RendezVous, rendez_vous=rdv)
        return rdv

    return plan


@pytest.fixture
def eager_retries():
    """Eager tasks that retry in-process (as a worker would, minus the wait), instead of raising ``Retry``."""
    from config.celery import app

    saved = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield app
    app.conf.task_eager_propagates = saved
