from core.permissions import READERS, WRITERS


def organisation(request):
    scope = getattr(request, "scope", None)
    role = scope.role if scope is not None else None
    return {
        # The role table for templates: {% if peut_ecrire.reperage %} shows a link only to those who may use it.
        "peut_lire": {record: role in roles for record, roles in READERS.items()},
        "peut_ecrire": {record: role in roles for record, roles in WRITERS.items()},
        "current_organisation": getattr(request, "organisation", None),
        "current_membership": getattr(request, "membership", None),
        "user_memberships": getattr(request, "memberships", []),
        "two_factor_pending": getattr(request, "two_factor_pending", False),
    }
