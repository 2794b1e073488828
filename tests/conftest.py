import pytest

from core.models import Role
from tests.authz import World
from tests.core.factories import MembershipFactory, OrganisationFactory
from tests.outreach.factories import PartenariatFactory


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db):
    """Two porteurs and two partners, with one user per role in each, and users of two organisations."""
    org_a = OrganisationFactory(nom="Porteur A", sigle="PA")
    org_b = OrganisationFactory(nom="Porteur B", sigle="PB")
    partner_a = OrganisationFactory(nom="Partenaire A", sigle="PTA", partenaire=True)
    partner_b = OrganisationFactory(nom="Partenaire B", sigle="PTB", partenaire=True)
    users_a = {}
    intruders = []
    for role in (Role.CONSEILLERE, Role.CHARGE_ENTREPRISES, Role.COORDINATEUR):
        users_a[role] = MembershipFactory(organisation=org_a, role=role).user
        intruders.append(MembershipFactory(organisation=org_b, role=role).user)
    users_a[Role.PARTENAIRE] = MembershipFactory(organisation=partner_a, role=Role.PARTENAIRE).user
    intruders.append(MembershipFactory(organisation=partner_b, role=Role.PARTENAIRE).user)
    # partner_a is shared by the two porteurs (as the Mission Locale works with ACSRV and the CCAS de Carvin).
    PartenariatFactory(porteur=org_a, partenaire=partner_a)
    PartenariatFactory(porteur=org_b, partenaire=partner_a)
    PartenariatFactory(porteur=org_b, partenaire=partner_b)
    two_org_staff = MembershipFactory(organisation=org_a, role=Role.COORDINATEUR).user
    MembershipFactory(user=two_org_staff, organisation=org_b, role=Role.COORDINATEUR)
    two_org_partner = MembershipFactory(organisation=partner_a, role=Role.PARTENAIRE).user
    MembershipFactory(user=two_org_partner, organisation=partner_b, role=Role.PARTENAIRE)
    return World(
        org_a=org_a,
        org_b=org_b,
        partner_a=partner_a,
        partner_b=partner_b,
        users_a=users_a,
        intruders=intruders,
        two_org_staff=two_org_staff,
        two_org_partner=two_org_partner,
    )


@pytest.fixture
def conseillere(db):
    return MembershipFactory(role=Role.CONSEILLERE)


@pytest.fixture
def coordinateur(db):
    return MembershipFactory(role=Role.COORDINATEUR)
