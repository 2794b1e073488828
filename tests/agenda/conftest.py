import pytest

from core.models import Role
from tests.core.factories import MembershipFactory, OrganisationFactory
from tests.youth.factories import JeuneFactory


@pytest.fixture
def org(db):
    return OrganisationFactory(nom="Structure Agenda", sigle="SA", adresse="2 rue des Alpes, Valenciennes")


@pytest.fixture
def conseillere(org):
    return MembershipFactory(organisation=org, role=Role.CONSEILLERE, user__first_name="Sophie").user


@pytest.fixture
def jeune(org):
    return JeuneFactory(organisation=org, prenom="Léa", nom="Martin")


@pytest.fixture
def logged(client, conseillere):
    client.force_login(conseillere)
    return client
