"""One scope per request: the only path to case data (docs/architecture.md, "The scope rule").

A request acts in exactly one organisation, the current one (``core.middleware`` sets ``request.scope``).
Every model holding case data declares how it is scoped::

    class Entretien(models.Model):
        ...
        objects = ScopedQuerySet.as_manager()
        scoping = Scoping(record=Record.NOTE, jeune="jeune", rows=confidential_rows)

and every read goes through one of the entry points, which apply together the current organisation (hence
the membership), the role table (``core.permissions``), the row rule (confidential notes, partner limits)
and the archive rule (through the declared path to the young person):

- ``Model.objects.for_request(request)`` and ``core.shortcuts.get_for_request_or_404(request, Model, **lookup)``
  in views;
- ``Model.objects.for_organisation(organisation, role=Role.COORDINATEUR)`` in jobs and commands, which have
  no request (``for_scope(scope)`` when a scope object is at hand).

``get_for_request_or_404`` also records the read of a young person's data (``core.audit``) whenever the object
belongs to a dossier, so a new page cannot forget the read audit.
"""

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Exists, OuterRef, Q

from core.permissions import Record, can_read, can_write
from core.roles import Role
from core.softdelete import is_soft_deletable, live_condition


@dataclass(frozen=True)
class Scope:
    """Who acts (user, role) in which organisation. ``porteur_ids``: for a partner account limited to its
    partnerships with some porteurs, the porteurs whose records it may see (empty: no limit)."""

    organisation: "Organisation | None"  # noqa: F821 - core.models imports this module
    role: str | None
    user: object = None
    porteur_ids: frozenset = field(default_factory=frozenset)

    @classmethod
    def empty(cls):
        return cls(organisation=None, role=None)

    @classmethod
    def for_membership(cls, membership, user=None):
        if membership is None:
            return cls.empty()
        return cls(
            organisation=membership.organisation,
            role=membership.role,
            user=user or membership.user,
            porteur_ids=frozenset(membership.porteurs_limites_ids),
        )

    @property
    def organisation_id(self):
        return getattr(self.organisation, "pk", self.organisation)

    def reads(self, record):
        return self.organisation is not None and can_read(self.role, record)

    def writes(self, record):
        return self.organisation is not None and can_write(self.role, record)

    @property
    def reads_archived(self):
        return self.reads(Record.DOSSIER_ARCHIVE)

    @property
    def is_partner(self):
        return self.role == Role.PARTENAIRE


def scope_of(request):
    """The request's scope (set by ``OrganisationMiddleware``; empty for anonymous requests)."""
    scope = getattr(request, "scope", None)
    if scope is None:
        scope = Scope.for_membership(getattr(request, "membership", None))
    return scope


@dataclass(frozen=True)
class Scoping:
    """How a model is scoped.

    - ``record``: its kind in the role table (who reads it);
    - ``organisation``: lookup to the owning organisation;
    - ``partner``: lookup to the partner organisation, for records a partner reads in the portal (orientations);
    - ``jeune``: lookup to the young person (``""`` on ``Jeune`` itself, None when unrelated): archived
      dossiers are then hidden from roles that do not read them, and reads are audited;
    - ``rows``: ``rows(scope) -> Q`` for a row-level rule (confidential notes, partners' drafts).
    """

    record: str
    organisation: str = "organisation"
    partner: str | None = None
    jeune: str | None = None
    rows: object = None

    def filter_for(self, model, scope):
        """The Q restricting ``model`` to ``scope``, or None when nothing is visible."""
        if scope.organisation is None:
            return None
        if scope.is_partner and self.partner is not None:
            if not scope.reads(Record.PORTAIL):
                return None
            condition = Q(**{self.partner: scope.organisation})
            if scope.porteur_ids:
                condition &= Q(**{f"{self.organisation}__in": scope.porteur_ids})
        elif scope.reads(self.record):
            condition = Q(**{self.organisation: scope.organisation})
        else:
            return None
        if self.rows is not None:
            condition &= self.rows(scope)
        return condition

    def dossier_condition(self, model, scope, deleted=False):
        """The Q hiding the rows of an archived dossier (roles that do not read them) and of a soft-deleted one
        (``deleted=False``, the default reads).

        On the young person itself, conditions on its own columns. On a record that hangs off one, a single
        ``NOT EXISTS`` over the hidden dossiers, which the partial index ``youth_jeune_hidden`` answers from the
        few archived or deleted rows: a join would read every young person of the table to filter a list by
        their state (the partner portal's counts hashed 20 000 rows, bench/RESULTS.md). A record with no young
        person (a nullable path left empty) stays visible."""
        if self.jeune is None:
            return Q()
        hide_archived = not scope.reads_archived
        if not self.jeune:  # the young person itself; its own deletion state: core.softdelete.live_condition
            return Q(archived_at__isnull=True) if hide_archived else Q()
        dossier = _target(model, self.jeune)
        hidden = Q()
        if hide_archived:
            hidden |= Q(archived_at__isnull=False)
        if deleted is False and is_soft_deletable(dossier):
            hidden |= Q(supprime_le__isnull=False)
        if not hidden:
            return Q()
        return ~Exists(dossier._base_manager.filter(hidden, pk=OuterRef(self.jeune)))


def _target(model, path):
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model


class ScopedQuerySet(models.QuerySet):
    """The queryset of every model that declares ``scoping`` (see the module docstring)."""

    def for_scope(self, scope, deleted=False):
        """``deleted``: False (default) hides soft-deleted rows and the rows of a soft-deleted dossier
        (``core.softdelete``); True reads only the soft-deleted rows (the corbeille); None reads both."""
        condition = self.model.scoping.filter_for(self.model, scope)
        if condition is None:
            return self.none()
        scoping = self.model.scoping
        return self.filter(
            condition,
            live_condition(self.model, scoping, deleted),
            scoping.dossier_condition(self.model, scope, deleted),
        )

    def for_request(self, request, deleted=False):
        return self.for_scope(scope_of(request), deleted=deleted)

    def for_platform(self):
        """The platform itself, across organisations: management commands run by the platform admin (an operation
        named by its code), the retention job, signed links (an invitation token), a Celery job's own bookkeeping
        row. No view may use it; tests/core/test_scope_rules.py lists the files allowed to."""
        return self.all()

    def for_organisation(self, organisation, role=Role.COORDINATEUR, user=None, deleted=False):
        """For services, jobs and commands (no request): what ``role`` of ``organisation`` (an instance or an id)
        reads. The default role, coordination, reads the whole organisation, archived dossiers included."""
        return self.for_scope(Scope(organisation=organisation, role=role, user=user), deleted=deleted)


def is_scoped(model):
    return isinstance(getattr(model, "scoping", None), Scoping)
