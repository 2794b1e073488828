"""The dossier extension contract: how apps contribute a panel and timeline events to ``/jeunes/<id>/``.

``youth`` shows the dossier but imports none of the apps below it; each app registers one function in its
``AppConfig.ready``::

    from core import dossier
    dossier.register("diagnostics", "Diagnostic", contribute, order=30)

``contribute(ctx)`` receives a ``DossierContext`` (the request's scope, the young person, the number of events
the page shows) and returns a ``Contribution`` (a panel, events, or both) or None. It reads only through the
scope (``Model.objects.for_scope(ctx.scope)``), runs a bounded number of queries whatever the size of the dossier,
and returns at most ``ctx.limit`` of its most recent events. The panel and the events come from the same rows,
so an app loads them once.
"""

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


@dataclass(frozen=True)
class DossierContext:
    scope: object  # core.scope.Scope
    jeune: object
    limit: int | None = None
    request: object = None  # for rendering panels; None in jobs and tests
    loaded: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def for_request(cls, request, jeune, limit=None):
        return cls(scope=request.scope, jeune=jeune, limit=limit, request=request)

    def rows(self, key, load):
        """``load()`` once per context: the rows a contributor and the page both show are read once."""
        if key not in self.loaded:
            self.loaded[key] = load()
        return self.loaded[key]

    @property
    def user(self):
        return self.scope.user


@dataclass(frozen=True)
class Contribution:
    template: str | None = None  # the panel, None when the app shows no panel
    context: dict = field(default_factory=dict)
    events: list = field(default_factory=list)


@dataclass(frozen=True)
class Contributor:
    key: str
    title: str
    contribute: object
    order: int = 50


_contributors = {}


def register(key, title, contribute, order=50):
    _contributors[key] = Contributor(key=key, title=title, contribute=contribute, order=order)


def contributions(ctx):
    """``(panels, events)``: panels as dicts (key, title, template, context) in order; events newest first."""
    panels, events = [], []
    for contributor in sorted(_contributors.values(), key=lambda c: c.order):
        contribution = contributor.contribute(ctx)
        if contribution is None:
            continue
        events.extend(contribution.events)
        if contribution.template:
            panels.append(
                {
                    "key": contributor.key,
                    "title": contributor.title,
                    "template": contribution.template,
                    "context": contribution.context,
                }
            )
    events.sort(key=lambda e: e.sort_key, reverse=True)
    return panels, (events[: ctx.limit] if ctx.limit else events)


def events_for(ctx):
    return contributions(ctx)[1]


def panels_for(ctx):
    return contributions(ctx)[0]
