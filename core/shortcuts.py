"""The one view helper to fetch a scoped object (``core.scope``)."""

from django.http import Http404

from core.audit import log_read_of


def get_for_request_or_404(request, model_or_queryset, deleted=False, **lookup):
    """One object of the request's scope, or 404 (an out-of-scope id reveals nothing); records the read of a
    young person's data. ``deleted=True``: a soft-deleted object (the corbeille, ``core.softdelete``)."""
    queryset = getattr(model_or_queryset, "objects", model_or_queryset)
    try:
        obj = queryset.for_request(request, deleted=deleted).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Introuvable dans votre organisation") from exc
    log_read_of(request, obj)
    return obj
