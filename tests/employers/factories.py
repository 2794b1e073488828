from datetime import date

import factory
from factory.django import DjangoModelFactory

from employers.models import Contact, Entreprise, Interaction, Offre, Placement, SuiviPlacement, luhn_ok
from tests.core.factories import OrganisationFactory
from tests.youth.factories import JeuneFactory


def siret_for(n):
    """A Luhn-valid SIRET built from a number."""
    base = f"{(n * 7919) % 10**13:013d}"
    for check in range(10):
        if luhn_ok(base + str(check)):
            return base + str(check)
    raise AssertionError("unreachable")


class EntrepriseFactory(DjangoModelFactory):
    class Meta:
        model = Entreprise

    organisation = factory.SubFactory(OrganisationFactory)
    nom = factory.Sequence(lambda n: f"Entreprise {n}")
    siret = factory.Sequence(lambda n: siret_for(n + 1))
    code_naf = "47.11F"
    secteur = "Commerce de détail"
    commune = "Valenciennes"

    class Params:
        bienveillante_trait = factory.Trait(bienveillante=True, bienveillante_depuis=date(2025, 1, 15))


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    entreprise = factory.SubFactory(EntrepriseFactory)
    nom = factory.Faker("last_name", locale="fr_FR")
    prenom = factory.Faker("first_name", locale="fr_FR")
    fonction = "Responsable RH"


class InteractionFactory(DjangoModelFactory):
    class Meta:
        model = Interaction

    entreprise = factory.SubFactory(EntrepriseFactory)
    kind = Interaction.Kind.APPEL
    date = date(2026, 2, 3)
    objet = "Présentation du dispositif"


class OffreFactory(DjangoModelFactory):
    class Meta:
        model = Offre

    entreprise = factory.SubFactory(EntrepriseFactory)
    intitule = "Employé·e libre-service"
    type_contrat = "cdd"
    date_publication = date(2026, 2, 1)


class PlacementFactory(DjangoModelFactory):
    class Meta:
        model = Placement

    organisation = factory.SubFactory(OrganisationFactory)
    jeune = factory.SubFactory(JeuneFactory, organisation=factory.SelfAttribute("..organisation"))
    entreprise = factory.SubFactory(EntrepriseFactory, organisation=factory.SelfAttribute("..organisation"))
    poste = "Préparateur de commandes"
    type_contrat = "cdd"
    date_debut = date(2026, 3, 2)
    date_fin = date(2026, 9, 1)


class SuiviPlacementFactory(DjangoModelFactory):
    class Meta:
        model = SuiviPlacement

    placement = factory.SubFactory(PlacementFactory)
    date = date(2026, 3, 20)
    avec = SuiviPlacement.Avec.LES_DEUX
    compte_rendu = "Intégration satisfaisante."
