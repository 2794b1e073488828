"""Test helpers for the scope layer: the scope a user acts in, and what the dossier page gathers."""

from core import dossier
from core.models import Membership
from core.scope import Scope


def scope_for(user, organisation=None):
    """The scope of ``user`` acting in ``organisation`` (default: its first active membership)."""
    memberships = Membership.objects.active().filter(user=user).select_related("organisation", "user")
    if organisation is not None:
        memberships = memberships.filter(organisation=organisation)
    return Scope.for_membership(memberships.order_by("pk").first())


def dossier_for(user, jeune, organisation=None, limit=None):
    """``(panels, events)`` of the dossier of ``jeune`` as ``user`` sees it."""
    ctx = dossier.DossierContext(scope=scope_for(user, organisation), jeune=jeune, limit=limit)
    return dossier.contributions(ctx)


def events_for(user, jeune, organisation=None):
    return dossier_for(user, jeune, organisation)[1]
