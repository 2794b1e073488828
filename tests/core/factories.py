import factory
from factory.django import DjangoModelFactory

from core.models import Membership, Organisation, Role, User


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    nom = factory.Sequence(lambda n: f"Structure {n}")
    sigle = factory.Sequence(lambda n: f"S{n}")
    kind = Organisation.Kind.PORTEUR
    commune = factory.Faker("city", locale="fr_FR")

    class Params:
        partenaire = factory.Trait(kind=Organisation.Kind.PARTENAIRE)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"utilisateur{n}@exemple.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.PostGenerationMethodCall("set_password", "mot-de-passe-solide-2026")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create and results:
            instance.save()


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.CONSEILLERE

    class Params:
        coordinateur = factory.Trait(role=Role.COORDINATEUR)
        charge_entreprises = factory.Trait(role=Role.CHARGE_ENTREPRISES)
        partenaire = factory.Trait(
            role=Role.PARTENAIRE, organisation=factory.SubFactory(OrganisationFactory, partenaire=True)
        )
