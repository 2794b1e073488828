def organisation(request):
    return {
        "current_organisation": getattr(request, "organisation", None),
        "current_membership": getattr(request, "membership", None),
        "user_memberships": getattr(request, "memberships", []),
        "two_factor_pending": getattr(request, "two_factor_pending", False),
    }
