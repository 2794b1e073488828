import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from agenda.models import RendezVous
from tests.core.factories import UserFactory
from tests.youth.factories import JeuneFactory


class RendezVousFactory(DjangoModelFactory):
    class Meta:
        model = RendezVous

    jeune = factory.SubFactory(JeuneFactory, accepte_sms=True, accepte_email=True, email="jeune@exemple.fr")
    organisation = factory.SelfAttribute("jeune.organisation")
    conseillere = factory.SubFactory(UserFactory, first_name="Nadia", last_name="Benali")
    debut = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3))
    lieu = "3 rue de la Gare, Denain"
