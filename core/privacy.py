"""Restricted access to archived youth dossiers (retention, see privacy/retention.py and docs/security.md).

An archived dossier (``Jeune.archived_at`` set) is hidden from every list and readable by coordinateurs only.

- Lists: ``visible_jeunes(queryset, request)`` drops archived dossiers (and anonymised ones), for every role.
  The youth list and any search must call it (``youth`` owns those views).
- Dossier pages: ``ArchivedDossierMiddleware`` answers 404 on ``/jeunes/<id>/…`` when the dossier is archived
  and the current role is not coordinateur — so it holds even if a view forgets. Views may also call
  ``check_dossier_readable(request, jeune)``.
"""

import re

from django.apps import apps
from django.http import Http404

from core.models import Role


DOSSIER_URL = re.compile(r"^/jeunes/(\d+)/")


def can_read_archived(request):
    membership = getattr(request, "membership", None)
    return membership is not None and membership.role == Role.COORDINATEUR


def visible_jeunes(queryset, request=None):
    """Exclude archived and anonymised dossiers from a list of young people (or of records with a ``jeune``)."""
    prefix = "" if queryset.model._meta.label == "youth.Jeune" else "jeune__"
    return queryset.filter(**{f"{prefix}archived_at__isnull": True, f"{prefix}anonymised_at__isnull": True})


def check_dossier_readable(request, jeune):
    """404 when ``jeune`` is archived and the current role is not coordinateur."""
    if jeune.archived_at is not None and not can_read_archived(request):
        raise Http404("Dossier archivé")


class ArchivedDossierMiddleware:
    """404 on ``/jeunes/<id>/…`` for an archived dossier unless the current role is coordinateur."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        match = DOSSIER_URL.match(request.path_info)
        if match and request.user.is_authenticated and not can_read_archived(request):
            Jeune = apps.get_model("youth", "Jeune")
            if Jeune.objects.filter(pk=int(match.group(1)), archived_at__isnull=False).exists():
                from core.views import page_not_found

                return page_not_found(request)
        return self.get_response(request)
