import pytest

from core.models import Role
from tests.core.factories import MembershipFactory
from tests.youth.factories import JeuneFactory, ParticipationFactory
from youth.models import Jeune, Participation


pytestmark = pytest.mark.django_db


def test_for_user_returns_only_the_users_organisations():
    membership = MembershipFactory()
    mine = JeuneFactory(organisation=membership.organisation)
    JeuneFactory()
    assert list(Jeune.objects.for_user(membership.user)) == [mine]


def test_partner_role_reads_no_dossier():
    membership = MembershipFactory(role=Role.PARTENAIRE)
    JeuneFactory(organisation=membership.organisation)
    assert not Jeune.objects.for_user(membership.user).exists()


def test_inactive_membership_reads_nothing():
    membership = MembershipFactory(is_active=False)
    JeuneFactory(organisation=membership.organisation)
    assert not Jeune.objects.for_user(membership.user).exists()


def test_participation_scope_and_fse_exclusion():
    membership = MembershipFactory()
    entered = ParticipationFactory(jeune__organisation=membership.organisation, entree=True)
    same_day = ParticipationFactory(jeune__organisation=membership.organisation, entree=True)
    same_day.date_sortie = same_day.date_entree
    same_day.save()
    ParticipationFactory(entree=True)
    assert set(Participation.objects.for_user(membership.user)) == {entered, same_day}
    assert list(Participation.objects.for_user(membership.user).fse()) == [entered]


def test_changes_to_case_data_are_recorded_with_their_author():
    membership = MembershipFactory()
    jeune = JeuneFactory(organisation=membership.organisation, telephone="0600000000")
    jeune._history_user = membership.user
    jeune.telephone = "0611111111"
    jeune.save()
    latest = jeune.history.first()
    assert latest.history_user == membership.user
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("telephone", "0600000000", "0611111111")]
