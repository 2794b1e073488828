from datetime import date

import factory
from factory.django import DjangoModelFactory

from tests.core.factories import OrganisationFactory, UserFactory
from tests.funding.factories import OperationFactory
from youth.models import Document, Entretien, EtapePlan, Frein, Jeune, Participation, SuiviPostSortie


class JeuneFactory(DjangoModelFactory):
    class Meta:
        model = Jeune

    organisation = factory.SubFactory(OrganisationFactory)
    nom = factory.Faker("last_name", locale="fr_FR")
    prenom = factory.Faker("first_name", locale="fr_FR")
    sexe = "F"
    date_naissance = date(2004, 5, 17)
    # One number per person: a shared number is a likely duplicate (youth.services.jeune_duplicates). A valid French
    # mobile (core.phones.can_receive_sms: messaging sends SMS to it), from 06 10 00 00 00 so that it never matches
    # the "06 00 00 00 00" other tests type.
    telephone = factory.Sequence(
        lambda n: f"06 {10 + n // 10**6 % 90:02d} {n // 10**4 % 100:02d} {n // 100 % 100:02d} {n % 100:02d}"
    )
    date_reperage = date(2025, 3, 1)

    class Params:
        mineur = factory.Trait(
            date_naissance=date(2010, 1, 15),
            representant_legal_nom="Martine Exemple",
            obligation_formation=Jeune.ObligationFormation.ACCOMPAGNEMENT,
        )


class ParticipationFactory(DjangoModelFactory):
    class Meta:
        model = Participation

    jeune = factory.SubFactory(JeuneFactory)
    organisation = factory.SelfAttribute("jeune.organisation")
    operation = factory.SubFactory(OperationFactory, organisation=factory.SelfAttribute("..jeune.organisation"))

    class Params:
        entree = factory.Trait(
            date_signature_contrat=date(2025, 3, 10),
            date_entree=date(2025, 3, 10),
            neet_atteste=True,
            statut_entree=Participation.StatutEntree.CHOMEUR,
            diplome=Participation.Diplome.CAP_BEP,
        )
        sortie = factory.Trait(
            date_signature_contrat=date(2025, 3, 10),
            date_entree=date(2025, 3, 10),
            neet_atteste=True,
            date_sortie=date(2025, 9, 1),
            situation_sortie=Participation.SituationSortie.EMPLOI_CDI,
        )


class EntretienFactory(DjangoModelFactory):
    class Meta:
        model = Entretien

    jeune = factory.SubFactory(JeuneFactory)
    organisation = factory.SelfAttribute("jeune.organisation")
    auteur = factory.SubFactory(UserFactory)
    date = date(2025, 4, 1)
    notes = factory.Sequence(lambda n: f"Note factuelle {n}")
    sujets = factory.LazyFunction(lambda: ["emploi"])


class EtapePlanFactory(DjangoModelFactory):
    class Meta:
        model = EtapePlan

    jeune = factory.SubFactory(JeuneFactory)
    organisation = factory.SelfAttribute("jeune.organisation")
    libelle = factory.Sequence(lambda n: f"Étape {n}")


class FreinFactory(DjangoModelFactory):
    class Meta:
        model = Frein

    jeune = factory.SubFactory(JeuneFactory)
    organisation = factory.SelfAttribute("jeune.organisation")
    kind = Frein.Kind.MOBILITE
    identifie_le = date(2025, 4, 1)


class DocumentFactory(DjangoModelFactory):
    class Meta:
        model = Document

    jeune = factory.SubFactory(JeuneFactory)
    organisation = factory.SelfAttribute("jeune.organisation")
    kind = Document.Kind.PIECE_IDENTITE
    fichier = factory.django.FileField(filename="piece.pdf", data=b"%PDF-1.4\n%test\n")
    obtenu_le = date(2025, 4, 1)


class SuiviPostSortieFactory(DjangoModelFactory):
    class Meta:
        model = SuiviPostSortie

    participation = factory.SubFactory(ParticipationFactory, sortie=True)
    echeance = 1
    date = date(2025, 10, 1)
    situation = Participation.SituationSortie.EMPLOI_CDI
