"""Authorization harness entries of team management (/equipe/, /organisation/parametres/)."""

from core.models import Membership, Role
from tests.core.factories import UserFactory
from tests.team.factories import InvitationFactory


def _membership(world):
    return {"pk": Membership.objects.create(user=UserFactory(), organisation=world.org_a, role=Role.CONSEILLERE).pk}


OBJECT_URLS = {
    "team:membership_role": _membership,
    "team:membership_deactivate": _membership,
    "team:membership_reactivate": _membership,
    "team:invitation_resend": lambda world: {"pk": InvitationFactory(organisation=world.org_a).pk},
    "team:invitation_cancel": lambda world: {"pk": InvitationFactory(organisation=world.org_a).pk},
}

LIST_URLS = {
    "team:index": lambda world: (
        Membership.objects.create(
            user=UserFactory(email="zzmembre-secret@exemple.fr"), organisation=world.org_a, role=Role.CONSEILLERE
        ).user.email
    ),
}
