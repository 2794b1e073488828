"""What the real-worker tests share: the broker (Redis db 13), a private queue, a killable worker, a wait loop."""

import functools
import os
import subprocess
import sys
import time
import uuid

import pytest
from django.db import connection


BROKER = "redis://127.0.0.1:6379/13"

# pytest.mark.xdist_group("celery"), built without the registry lookup: pytest-xdist registers that marker,
# and with --strict-markers a run under `-p no:xdist` would otherwise refuse to collect these modules.
XDIST_GROUP_CELERY = pytest.MarkDecorator(pytest.Mark("xdist_group", ("celery",), {}, _ispytest=True), _ispytest=True)


def private_queue(celery_app, monkeypatch, task, prefix):
    """Send ``task`` to a queue of our own on db 13, through a connection of our own (yields the queue name).

    Another test session sharing this Redis db must not consume our messages, and the app's producer pool may
    already be bound to another broker URL (e.g. by the health check) earlier in this session.
    """
    name = f"{prefix}-{uuid.uuid4().hex[:12]}"
    broker = celery_app.connection_for_write(BROKER)
    monkeypatch.setattr(task, "apply_async", functools.partial(task.apply_async, queue=name, connection=broker))
    yield name
    broker.release()


def worker_process(log, queue, media_root=None):
    """A worker in a subprocess of its own (so it can be killed), on our database, queue and media folder."""
    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    media = f"from django.conf import settings\nsettings.MEDIA_ROOT = {str(media_root)!r}\n" if media_root else ""
    code = (
        "import django; django.setup()\n"
        f"{media}"
        "from config.celery import app\n"
        f"app.conf.update(broker_url={BROKER!r}, result_backend={BROKER!r}, task_always_eager=False,"
        " broker_transport_options={'visibility_timeout': 8, 'unacked_restore_interval': 1,"
        " 'unacked_restore_throttle': 1})\n"
        "app.worker_main(['worker', '--pool=solo', '--loglevel=WARNING', '--without-gossip', '--without-mingle',"
        f" '--without-heartbeat', '-Q', {queue!r}])\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": url}
    return subprocess.Popen(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], env=env, stdout=log, stderr=subprocess.STDOUT
    )


def wait_for(model, pk, predicate, timeout, interval=0.02):
    """Poll the job row until ``predicate(row)``; returns it with the (status, progress) states seen."""
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        row = model.objects.for_platform().get(pk=pk)
        if not seen or seen[-1] != (row.status, row.progress):
            seen.append((row.status, row.progress))
        if predicate(row):
            return row, seen
        time.sleep(interval)
    raise AssertionError(f"délai dépassé ; états vus : {seen}")
