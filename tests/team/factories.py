import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from core.roles import Role
from team.models import Invitation
from team.tokens import new_token
from tests.core.factories import OrganisationFactory


class InvitationFactory(DjangoModelFactory):
    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@exemple.fr")
    role = Role.CONSEILLERE
    token_hash = factory.LazyFunction(lambda: new_token()[1])
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
