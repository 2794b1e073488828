"""The scope layer (core.scope): one organisation per request, the role table, row rules, the archive rule."""

import pytest
from django.utils import timezone

from core.models import Role
from core.scope import Scope
from tests.core.factories import MembershipFactory, OrganisationFactory
from tests.scope import scope_for
from tests.youth.factories import EntretienFactory, JeuneFactory, ParticipationFactory
from youth.models import Entretien, Jeune, Participation


pytestmark = pytest.mark.django_db


def test_the_scope_reads_only_its_organisation():
    membership = MembershipFactory()
    mine = JeuneFactory(organisation=membership.organisation)
    JeuneFactory()
    assert list(Jeune.objects.for_scope(scope_for(membership.user))) == [mine]


def test_a_two_organisation_user_reads_only_the_current_one():
    membership = MembershipFactory(role=Role.COORDINATEUR)
    other = OrganisationFactory()
    MembershipFactory(user=membership.user, organisation=other, role=Role.COORDINATEUR)
    in_a, in_b = JeuneFactory(organisation=membership.organisation), JeuneFactory(organisation=other)
    assert list(Jeune.objects.for_scope(scope_for(membership.user, membership.organisation))) == [in_a]
    assert list(Jeune.objects.for_scope(scope_for(membership.user, other))) == [in_b]


def test_partner_role_reads_no_dossier():
    membership = MembershipFactory(role=Role.PARTENAIRE)
    JeuneFactory(organisation=membership.organisation)
    assert not Jeune.objects.for_scope(scope_for(membership.user)).exists()


def test_inactive_membership_reads_nothing():
    membership = MembershipFactory(is_active=False)
    JeuneFactory(organisation=membership.organisation)
    assert scope_for(membership.user).organisation is None
    assert not Jeune.objects.for_scope(scope_for(membership.user)).exists()
    assert not Jeune.objects.for_scope(Scope.empty()).exists()


def test_archived_dossiers_and_their_records_are_read_by_coordination_only():
    org = OrganisationFactory()
    archived = JeuneFactory(organisation=org, archived_at=timezone.now())
    ParticipationFactory(jeune=archived)
    kept = JeuneFactory(organisation=org)
    for role, expected in ((Role.CONSEILLERE, [kept]), (Role.CHARGE_ENTREPRISES, [kept]), (Role.COORDINATEUR, None)):
        scope = Scope(organisation=org, role=role)
        jeunes = list(Jeune.objects.for_scope(scope).order_by("pk"))
        assert jeunes == (expected or [archived, kept])
        assert Participation.objects.for_scope(scope).exists() == (role == Role.COORDINATEUR)


def test_confidential_notes_are_read_by_their_author_and_coordination():
    org = OrganisationFactory()
    author, colleague, coordination = (
        MembershipFactory(organisation=org, role=role).user
        for role in (Role.CONSEILLERE, Role.CONSEILLERE, Role.COORDINATEUR)
    )
    note = EntretienFactory(jeune__organisation=org, auteur=author, confidentielle=True)
    assert list(Entretien.objects.for_scope(scope_for(author))) == [note]
    assert list(Entretien.objects.for_scope(scope_for(coordination))) == [note]
    assert not Entretien.objects.for_scope(scope_for(colleague)).exists()


def test_jobs_read_one_organisation_with_an_explicit_role():
    org = OrganisationFactory()
    archived = JeuneFactory(organisation=org, archived_at=timezone.now())
    JeuneFactory()
    assert list(Jeune.objects.for_organisation(org)) == [archived]  # coordination by default
    assert not Jeune.objects.for_organisation(org, role=Role.CONSEILLERE).exists()
    assert not Jeune.objects.for_organisation(org, role=Role.PARTENAIRE).exists()


def test_participation_scope_and_fse_exclusion():
    membership = MembershipFactory()
    entered = ParticipationFactory(jeune__organisation=membership.organisation, entree=True)
    same_day = ParticipationFactory(jeune__organisation=membership.organisation, entree=True)
    same_day.date_sortie = same_day.date_entree
    same_day.save()
    ParticipationFactory(entree=True)
    scope = scope_for(membership.user)
    assert set(Participation.objects.for_scope(scope)) == {entered, same_day}
    assert list(Participation.objects.for_scope(scope).fse()) == [entered]


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
