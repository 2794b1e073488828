"""Sets ``request.scope`` (``core.scope.Scope``: the current organisation and role), ``request.organisation`` and
``request.membership``. A request acts in exactly one organisation, the current one."""

from core.models import Membership
from core.scope import Scope


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
        request.scope = Scope.for_membership(request.membership, user=request.user)
        return self.get_response(request)
