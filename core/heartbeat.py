"""The Celery worker's heartbeat: a beat-scheduled task, run by a worker, writes the time in Redis; ``/sante/``
reads it. A fresh heartbeat proves the whole chain (beat → broker → worker) runs, whichever worker took it."""

import time

from django.conf import settings


def _redis():
    import redis

    return redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=2, socket_timeout=2)


def heartbeat_write(*, now=None):
    """Record that a worker is alive (called by ``core.tasks.worker_heartbeat``)."""
    now = time.time() if now is None else now
    # Expires on its own: a heartbeat that nobody refreshes cannot look fresh forever.
    _redis().set(settings.WORKER_HEARTBEAT_KEY, f"{now:.3f}", ex=settings.WORKER_HEARTBEAT_MAX_AGE * 10)
    return now


def heartbeat_status():
    """Return "eager" (tasks run in the web process) or "ok"; raise when the heartbeat is missing or too old."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    value = _redis().get(settings.WORKER_HEARTBEAT_KEY)
    if value is None:
        raise RuntimeError("no worker heartbeat")
    age = time.time() - float(value)
    if age > settings.WORKER_HEARTBEAT_MAX_AGE:
        raise RuntimeError(f"worker heartbeat is {age:.0f} s old")
    return "ok"
