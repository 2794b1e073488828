"""Sets ``request.organisation`` and ``request.membership`` (the current organisation and role)."""

from core.models import Membership


SESSION_KEY = "organisation_id"


class OrganisationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.organisation = None
        request.membership = None
        request.memberships = []
        if request.user.is_authenticated:
            memberships = list(Membership.objects.active().filter(user=request.user).select_related("organisation"))
            request.memberships = memberships
            wanted = request.session.get(SESSION_KEY)
            current = next((m for m in memberships if m.organisation_id == wanted), None)
            if current is None and memberships:
                current = memberships[0]
                request.session[SESSION_KEY] = current.organisation_id
            if current is not None:
                request.membership = current
                request.organisation = current.organisation
        return self.get_response(request)
