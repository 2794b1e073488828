"""Small helpers views use to stay inside the user's scope."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from core.models import Role


def get_for_user_or_404(request, model_or_queryset, **lookup):
    """Fetch one object through ``for_user``: anything outside the user's scope answers 404."""
    queryset = getattr(model_or_queryset, "objects", model_or_queryset)
    return get_object_or_404(queryset.for_user(request.user), **lookup)


def current_role(request):
    membership = getattr(request, "membership", None)
    return membership.role if membership else None


def role_required(*roles):
    """Restrict a view to members whose *current* role is one of ``roles`` (403 otherwise)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if current_role(request) not in roles:
                raise PermissionDenied("Votre rôle ne permet pas d'accéder à cette page.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


staff_required = role_required(Role.CONSEILLERE, Role.CHARGE_ENTREPRISES, Role.COORDINATEUR)
coordinateur_required = role_required(Role.COORDINATEUR)
partenaire_required = role_required(Role.PARTENAIRE)
