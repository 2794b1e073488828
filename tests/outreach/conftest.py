from dataclasses import dataclass

import pytest

from core.models import Role
from tests.core.factories import MembershipFactory, OrganisationFactory
from tests.outreach.factories import PartenariatFactory


@pytest.fixture(autouse=True)
def _drop_celery_broker_pools():
    """An eager ``delay()`` opens Celery's broker connection pool with the broker URL of that moment; a later
    real-worker test that switches ``broker_url`` would then publish to the old broker. Drop the pools after
    each test so these tests never leave one behind."""
    yield
    from config.celery import app

    # Only forget them: kombu keeps a process-wide producer pool per broker URL that must stay open.
    app._pool = None
    app.amqp._producer_pool = None


@dataclass
class Reseau:
    porteur: object
    autre_porteur: object
    capep: object
    cao: object
    conseillere: object
    coordinatrice: object
    autre_conseillere: object
    partenaire_capep: object
    partenaire_cao: object


@pytest.fixture
def reseau(db):
    """ACSRV-like porteur working with two partners (CAPEP, CAO 59); another porteur (Carvin) with none."""
    porteur = OrganisationFactory(nom="ACSRV test", sigle="ACSRV")
    autre = OrganisationFactory(nom="Carvin test", sigle="CARVIN")
    capep = OrganisationFactory(nom="CAPEP test", sigle="CAPEP", partenaire=True)
    cao = OrganisationFactory(nom="CAO 59 test", sigle="CAO59", partenaire=True)
    PartenariatFactory(porteur=porteur, partenaire=capep)
    PartenariatFactory(porteur=porteur, partenaire=cao)
    return Reseau(
        porteur=porteur,
        autre_porteur=autre,
        capep=capep,
        cao=cao,
        conseillere=MembershipFactory(organisation=porteur, role=Role.CONSEILLERE).user,
        coordinatrice=MembershipFactory(organisation=porteur, role=Role.COORDINATEUR).user,
        autre_conseillere=MembershipFactory(organisation=autre, role=Role.CONSEILLERE).user,
        partenaire_capep=MembershipFactory(organisation=capep, role=Role.PARTENAIRE).user,
        partenaire_cao=MembershipFactory(organisation=cao, role=Role.PARTENAIRE).user,
    )
