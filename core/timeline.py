"""Dossier timeline: apps register providers that return events for one young person.

``youth`` shows the timeline but must not import the apps below it (workshops, diagnostics…),
so those apps register a provider in their ``AppConfig.ready``::

    from core import timeline
    timeline.register(my_provider)   # my_provider(jeune, user) -> iterable of timeline.Event

A provider must run a bounded number of queries (one or two), whatever the size of the dossier. A provider
that accepts a ``limit`` keyword receives the number of events the page shows, and returns at most that many of
its most recent events, so a dossier with thousands of entretiens costs no more than one with fifty.
"""

import inspect
from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class Event:
    when: date | datetime
    kind: str  # short machine name, e.g. "entretien", "atelier", "aide"
    title: str
    detail: str = ""
    url: str = ""
    icon: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def sort_key(self):
        when = self.when
        if isinstance(when, datetime):
            return (when.date(), when.time())
        return (when, datetime.min.time())


_providers = []


def _accepts_limit(provider):
    return "limit" in inspect.signature(provider).parameters


def register(provider):
    if all(p is not provider for p, _ in _providers):
        _providers.append((provider, _accepts_limit(provider)))
    return provider


def events_for(jeune, user, limit=None):
    events = []
    for provider, accepts_limit in _providers:
        events.extend(provider(jeune, user, limit=limit) if accepts_limit else provider(jeune, user))
    events.sort(key=lambda e: e.sort_key, reverse=True)
    return events[:limit] if limit else events
