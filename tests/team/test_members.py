import pytest
from django.test import Client

from core.audit import changes_for
from core.middleware import SESSION_KEY
from core.models import Membership, Role
from team.models import EvenementEquipe
from tests.authz import fingerprint
from tests.core.factories import MembershipFactory
from tests.youth.factories import JeuneFactory


pytestmark = pytest.mark.django_db


def _logged(user, organisation=None):
    client = Client()
    client.force_login(user)
    if organisation is not None:
        session = client.session
        session[SESSION_KEY] = organisation.pk
        session.save()
    return client


def _membership(world, role):
    return Membership.objects.get(user=world.users_a[role], organisation=world.org_a)


def test_the_team_page_lists_members_with_role_state_and_last_login(coordination, world, settings):
    settings.ROOT_URLCONF = "tests.team.transfer_urls"
    conseillere = _membership(world, Role.CONSEILLERE)
    JeuneFactory(organisation=world.org_a, referent=conseillere.user)
    Membership.objects.filter(pk=conseillere.pk).update(is_active=False)
    page = coordination.get("/equipe/").content.decode()
    assert world.users_a[Role.CONSEILLERE].email in page
    assert "désactivée" in page
    assert "Réactiver" in page
    assert "Dernière connexion" in page
    assert "jamais" in page
    assert "1 dossier suivi" in page
    assert "/portefeuille/transfert/?conseillere=" in page
    assert world.intruders[0].email not in page  # org_b's people


def test_the_team_page_is_coordination_only(client, world):
    for role in (Role.CONSEILLERE, Role.CHARGE_ENTREPRISES):
        assert _logged(world.users_a[role]).get("/equipe/").status_code == 403
    assert _logged(world.users_a[Role.PARTENAIRE]).get("/equipe/").status_code == 403


def test_the_team_page_runs_a_bounded_number_of_queries(coordination, world, django_assert_max_num_queries):
    coordination.get("/equipe/")
    with django_assert_max_num_queries(16) as ctx:
        assert coordination.get("/equipe/").status_code == 200
    baseline = len(ctx.captured_queries)
    for _ in range(20):
        member = MembershipFactory(organisation=world.org_a)
        JeuneFactory(organisation=world.org_a, referent=member.user)
    with django_assert_max_num_queries(baseline):
        assert coordination.get("/equipe/").status_code == 200


def test_a_role_change_takes_effect_at_the_next_request(coordination, world):
    conseillere = _membership(world, Role.CONSEILLERE)
    her = _logged(conseillere.user)
    assert her.get("/equipe/").status_code == 403
    response = coordination.post(
        f"/equipe/membres/{conseillere.pk}/role/", {f"m{conseillere.pk}-role": Role.COORDINATEUR}
    )
    assert response.status_code == 302
    assert her.get("/equipe/").status_code == 200  # same session, new role
    event = EvenementEquipe.objects.get(kind=EvenementEquipe.Kind.ROLE)
    assert event.detail == "Conseillère d'insertion → Coordination"
    assert event.acteur == world.users_a[Role.COORDINATEUR]
    assert event.membre == conseillere.user


def test_deactivation_ends_her_open_session_at_the_next_request(coordination, world, settings):
    settings.ROOT_URLCONF = "tests.team.transfer_urls"
    conseillere = _membership(world, Role.CONSEILLERE)
    jeune = JeuneFactory(organisation=world.org_a, referent=conseillere.user)
    her = _logged(conseillere.user)
    assert her.get("/jeunes/").status_code == 200
    page = coordination.get(f"/equipe/membres/{conseillere.pk}/desactiver/").content.decode()
    assert "/portefeuille/transfert/" in page
    assert coordination.post(f"/equipe/membres/{conseillere.pk}/desactiver/").status_code == 302
    response = her.get("/jeunes/")
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/")
    login_page = her.get(response["Location"]).content.decode()
    assert "Votre accès à PA a été désactivé par la coordination" in login_page
    assert "_auth_user_id" not in her.session
    assert her.get("/jeunes/").status_code == 302  # stays logged out
    jeune.refresh_from_db()
    assert jeune.referent == conseillere.user  # her dossiers stay
    # reactivation
    assert coordination.post(f"/equipe/membres/{conseillere.pk}/reactiver/").status_code == 302
    assert _logged(conseillere.user).get("/jeunes/").status_code == 200
    kinds = list(EvenementEquipe.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["desactivation", "reactivation"]


def test_deactivation_in_one_organisation_keeps_the_other(world):
    user = world.two_org_staff
    client = _logged(user, world.org_a)
    assert client.get("/equipe/").status_code == 200
    Membership.objects.filter(user=user, organisation=world.org_a).update(is_active=False)
    response = client.get("/equipe/")
    assert response["Location"].startswith("/connexion/")
    again = _logged(user)
    assert again.get("/equipe/").status_code == 200
    assert again.session[SESSION_KEY] == world.org_b.pk


def test_an_inactive_account_session_ends_with_a_message(world):
    user = world.users_a[Role.CONSEILLERE]
    client = _logged(user)
    assert client.get("/jeunes/").status_code == 200
    user.is_active = False
    user.save()
    response = client.get("/jeunes/", follow=True)
    assert "Votre compte a été désactivé" in response.content.decode()


def test_the_last_coordinator_cannot_deactivate_or_demote_herself(coordination, world):
    own = _membership(world, Role.COORDINATEUR)
    Membership.objects.filter(user=world.two_org_staff, organisation=world.org_a).update(role=Role.CONSEILLERE)
    response = coordination.post(f"/equipe/membres/{own.pk}/desactiver/", follow=True)
    assert "Il faut au moins une personne active en coordination" in response.content.decode()
    response = coordination.post(f"/equipe/membres/{own.pk}/role/", {f"m{own.pk}-role": Role.CONSEILLERE}, follow=True)
    assert "Il faut au moins une personne active en coordination" in response.content.decode()
    own.refresh_from_db()
    assert own.is_active
    assert own.role == Role.COORDINATEUR
    assert not EvenementEquipe.objects.exists()
    # with a second coordinator, she may step down
    Membership.objects.filter(user=world.two_org_staff, organisation=world.org_a).update(role=Role.COORDINATEUR)
    coordination.post(f"/equipe/membres/{own.pk}/role/", {f"m{own.pk}-role": Role.CONSEILLERE})
    own.refresh_from_db()
    assert own.role == Role.CONSEILLERE


def test_another_organisations_membership_is_never_touched(coordination, world):
    theirs = Membership.objects.get(user=world.intruders[0], organisation=world.org_b)
    before = fingerprint()
    for path, data in (
        (f"/equipe/membres/{theirs.pk}/role/", {f"m{theirs.pk}-role": Role.COORDINATEUR}),
        (f"/equipe/membres/{theirs.pk}/desactiver/", {}),
        (f"/equipe/membres/{theirs.pk}/reactiver/", {}),
    ):
        assert coordination.post(path, data).status_code == 404
    assert coordination.get(f"/equipe/membres/{theirs.pk}/desactiver/").status_code == 404
    assert fingerprint() == before


def test_team_changes_are_in_the_audit_log(coordination, world):
    conseillere = _membership(world, Role.CONSEILLERE)
    coordination.post(f"/equipe/membres/{conseillere.pk}/desactiver/")
    rows = list(changes_for(world.org_a))
    assert any(row["audit_modele"] == "team.EvenementEquipe" for row in rows)
    page = coordination.get("/audit/?vue=modifications").content.decode()
    assert f"Accès désactivé : {conseillere.user.email}" in page
    assert not [row for row in changes_for(world.org_b) if row["audit_modele"].startswith("team.")]


def test_no_link_to_the_transfer_page_while_it_is_not_installed(coordination, world):
    from django.urls import Resolver404, resolve

    try:
        resolve("/portefeuille/transfert/")
    except Resolver404:
        pass
    else:
        pytest.skip("the caseload transfer page is installed")
    conseillere = _membership(world, Role.CONSEILLERE)
    assert "/portefeuille/transfert/" not in coordination.get("/equipe/").content.decode()
    page = coordination.get(f"/equipe/membres/{conseillere.pk}/desactiver/").content.decode()
    assert "/portefeuille/transfert/" not in page
    assert "transférez son portefeuille" in page
