from datetime import date

import pytest

from core.models import Role
from tests.core.factories import MembershipFactory, OrganisationFactory
from tests.funding.factories import OperationFactory


@pytest.fixture
def org(db):
    return OrganisationFactory(nom="ACSRV test", sigle="ACSRV-T")


@pytest.fixture
def conseillere_m(org):
    return MembershipFactory(organisation=org, role=Role.CONSEILLERE)


@pytest.fixture
def operation(org):
    return OperationFactory(
        organisation=org, code="EMET", date_debut=date(2023, 1, 1), date_fin=date(2027, 12, 31), age_min=16, age_max=25
    )


@pytest.fixture
def logged(client, conseillere_m):
    client.force_login(conseillere_m.user)
    return client
