from datetime import date, time

import factory
from factory.django import DjangoModelFactory

from tests.core.factories import OrganisationFactory
from tests.employers.factories import EntrepriseFactory
from tests.funding.factories import OperationFactory
from tests.youth.factories import JeuneFactory
from workshops.models import Atelier, Immersion, Inscription, Public, Seance


class AtelierFactory(DjangoModelFactory):
    class Meta:
        model = Atelier

    organisation = factory.SubFactory(OrganisationFactory)
    operation = factory.SubFactory(OperationFactory, organisation=factory.SelfAttribute("..organisation"))
    intitule = factory.Sequence(lambda n: f"Atelier {n}")
    theme = Atelier.Theme.TRE
    animateur = "Sophie Lambert"

    class Params:
        femmes = factory.Trait(intitule="Les Z'ELLES", theme=Atelier.Theme.REDYNAMISATION, public=Public.FEMMES)


class SeanceFactory(DjangoModelFactory):
    class Meta:
        model = Seance

    atelier = factory.SubFactory(AtelierFactory)
    date = date(2026, 4, 14)
    heure_debut = time(9, 30)
    heure_fin = time(12, 0)
    lieu = "Centre social Dutemple, Valenciennes"
    capacite = 12


class InscriptionFactory(DjangoModelFactory):
    class Meta:
        model = Inscription

    seance = factory.SubFactory(SeanceFactory)
    jeune = factory.SubFactory(JeuneFactory, organisation=factory.SelfAttribute("..seance.atelier.organisation"))


class ImmersionFactory(DjangoModelFactory):
    class Meta:
        model = Immersion

    organisation = factory.SubFactory(OrganisationFactory)
    jeune = factory.SubFactory(JeuneFactory, organisation=factory.SelfAttribute("..organisation"))
    entreprise = factory.SubFactory(EntrepriseFactory, organisation=factory.SelfAttribute("..organisation"))
    prescripteur = "Mission Locale du Valenciennois"
    objet = Immersion.Objet.DECOUVRIR
    metier = "Aide-soignant·e"
    date_debut = date(2026, 3, 2)
    date_fin = date(2026, 3, 13)
    heures_hebdo = 35
    tuteur_nom = "Mme Durand"
    objectifs = "Découvrir le métier et ses contraintes."
