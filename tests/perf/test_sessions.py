"""Cheaper requests: sessions live in the cache (written through to the database) and a request writes the
session only when something in it changed or its renewal is due (core.middleware.SessionRenewalMiddleware)."""

from datetime import timedelta

import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import Role
from tests.core.factories import MembershipFactory


def session_writes(queries):
    return [
        q["sql"]
        for q in queries
        if "django_session" in q["sql"] and q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def session_reads(queries):
    return [
        q["sql"] for q in queries if "django_session" in q["sql"] and q["sql"].lstrip().upper().startswith("SELECT")
    ]


def test_sessions_are_cached_and_written_through():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    assert settings.SESSION_SAVE_EVERY_REQUEST is False


def test_two_requests_write_the_session_zero_times(client, db):
    membership = MembershipFactory(role=Role.CONSEILLERE)
    client.force_login(membership.user)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.get("/")  # the first request picks the current organisation: one write
        traveller.shift(timedelta(seconds=30))
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
            assert client.get("/jeunes/").status_code == 200
        assert session_writes(captured.captured_queries) == []
        assert session_reads(captured.captured_queries) == []  # read from the cache
        # the renewal is due after SESSION_RENEW_AFTER: one write, then none again
        traveller.shift(timedelta(seconds=settings.SESSION_RENEW_AFTER))
        with CaptureQueriesContext(connection) as captured:
            client.get("/")
            client.get("/jeunes/")
        assert len(session_writes(captured.captured_queries)) == 1


def test_switching_organisation_writes_the_session(client, db):
    membership = MembershipFactory(role=Role.COORDINATEUR)
    other = MembershipFactory(user=membership.user, role=Role.COORDINATEUR)
    client.force_login(membership.user)
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        client.post("/organisation/changer/", {"organisation": other.organisation_id})
    assert len(session_writes(captured.captured_queries)) == 1
    assert client.session["organisation_id"] == other.organisation_id
