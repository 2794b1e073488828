import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from agenda.models import RendezVous
from core.models import Role
from tests.core.factories import MembershipFactory
from tests.youth.factories import JeuneFactory


def dans(jours=0, heure=10, minute=0):
    """An aware datetime ``jours`` days from today at ``heure``:``minute`` (Europe/Paris)."""
    day = timezone.localdate() + datetime.timedelta(days=jours)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(heure, minute)))


def conseillere_de(organisation, role=Role.CONSEILLERE):
    return MembershipFactory(organisation=organisation, role=role).user


class RendezVousFactory(DjangoModelFactory):
    """A planned rendez-vous in three days with a member of the young person's organisation."""

    class Meta:
        model = RendezVous

    jeune = factory.SubFactory(JeuneFactory)
    organisation = factory.SelfAttribute("jeune.organisation")
    conseillere = factory.LazyAttribute(lambda o: conseillere_de(o.jeune.organisation))
    debut = factory.LazyFunction(lambda: dans(3, 10))
    duree_minutes = 45
    modalite = RendezVous.Modalite.PRESENTIEL
    lieu = factory.Faker("street_address", locale="fr_FR")
    objet = "Point sur le projet"
