from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from agenda.models import RendezVous
from notifications.models import Notification
from tests.core.factories import OrganisationFactory, UserFactory
from tests.youth.factories import JeuneFactory


class RendezVousFactory(DjangoModelFactory):
    class Meta:
        model = RendezVous

    jeune = factory.SubFactory(JeuneFactory)
    organisation = factory.SelfAttribute("jeune.organisation")
    conseillere = factory.SubFactory(UserFactory)
    debut = factory.LazyFunction(lambda: timezone.now() + timedelta(days=2))
    objet = "Point sur la recherche d'emploi"


class NotificationFactory(DjangoModelFactory):
    class Meta:
        model = Notification

    organisation = factory.SubFactory(OrganisationFactory)
    destinataire = factory.SubFactory(UserFactory)
    kind = Notification.Kind.ORIENTATION
    titre = factory.Sequence(lambda n: f"Nouvelle orientation reçue : Léa M. ({n})")
    url = "/reperage/orientations/"
