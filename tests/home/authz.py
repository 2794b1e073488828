"""Authorization harness entries of the home to-do lists and the caseload transfer (no URL takes an argument)."""

from datetime import timedelta

from django.utils import timezone

from agenda.models import RendezVous
from core.models import Role
from tests.core.factories import MembershipFactory
from tests.home.factories import RendezVousFactory
from tests.outreach.factories import OrientationFactory, PartenariatFactory
from tests.youth.factories import JeuneFactory


def _rdv(world, nom, **kwargs):
    jeune = JeuneFactory(organisation=world.org_a, nom=nom)
    RendezVousFactory(jeune=jeune, conseillere=world.users_a[Role.CONSEILLERE], **kwargs)
    return nom.upper()


def _orientation(world):
    PartenariatFactory(porteur=world.org_a, partenaire=world.partner_a)
    return OrientationFactory(organisation=world.org_a, partenaire=world.partner_a, nom="Zzattente").nom.upper()


LIST_URLS = {
    "todo_rendez_vous": lambda world: _rdv(world, "Zzrdvjour", debut=timezone.now() + timedelta(minutes=1)),
    "todo_rendez_vous_manques": lambda world: _rdv(
        world, "Zzmanque", debut=timezone.now() - timedelta(days=2), statut=RendezVous.Statut.MANQUE
    ),
    "todo_orientations": _orientation,
    "caseload_transfer": lambda world: (
        MembershipFactory(organisation=world.org_a, role=Role.CONSEILLERE, user__last_name="Zzmembre").user.last_name
    ),
}
