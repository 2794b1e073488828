"""Home page by role: caseload (conseillère), dashboard (coordination), portal (partenaire)."""

from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from core.models import Role
from home import dashboards


@never_cache
def home(request):
    """Home page by role: caseload (conseillère), dashboard (coordination), portal (partenaire)."""
    membership = request.membership
    if membership is None:
        return render(request, "home/no_membership.html", status=403)
    if membership.role == Role.PARTENAIRE:
        return redirect("/portail/")
    context = dashboards.build(request)
    return render(request, f"home/home_{membership.role}.html", context)
