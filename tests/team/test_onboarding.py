import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client

from core.models import Membership, Organisation, Role, User
from team.models import Invitation
from tests.core.factories import UserFactory
from tests.team.conftest import LINK


pytestmark = pytest.mark.django_db

PASSWORD = "Ouvrir-la-structure-2026"


def _run(*args, capture=None):
    import io

    out = io.StringIO()
    with capture(execute=True):
        call_command("creer_organisation", *args, stdout=out)
    return out.getvalue()


def test_creer_organisation_porteur_invites_its_first_coordinator(django_capture_on_commit_callbacks):
    out = _run(
        "--nom",
        "Espace Jeunes du Littoral",
        "--type",
        "porteur",
        "--sigle",
        "EJL",
        "--siret",
        "73282932000074",
        "--email-coordination",
        "Direction@EJL.fr",
        "--url-base",
        "https://tremplin.example.fr",
        capture=django_capture_on_commit_callbacks,
    )
    organisation = Organisation.objects.get(nom="Espace Jeunes du Littoral")
    assert (organisation.kind, organisation.sigle, organisation.siret) == ("porteur", "EJL", "73282932000074")
    invitation = Invitation.objects.get(organisation=organisation)
    assert (invitation.email, invitation.role) == ("direction@ejl.fr", Role.COORDINATEUR)
    assert mail.outbox[-1].to == ["direction@ejl.fr"]
    link = LINK.search(out).group(0)  # printed: the test e-mail backend delivers nothing
    assert link.startswith("https://tremplin.example.fr/invitation/equipe/")
    client = Client()
    path = link.removeprefix("https://tremplin.example.fr")
    response = client.post(
        path, {"first_name": "Anne", "last_name": "Roy", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="direction@ejl.fr")
    assert (membership.organisation, membership.role) == (organisation, Role.COORDINATEUR)
    assert client.get("/equipe/").status_code == 200


def test_creer_organisation_partenaire_invites_a_whole_organisation_account(django_capture_on_commit_callbacks):
    out = _run(
        "--nom",
        "Mission Locale du Littoral",
        "--type",
        "partenaire",
        "--email-coordination",
        "accueil@ml.fr",
        capture=django_capture_on_commit_callbacks,
    )
    path = LINK.search(out).group(0).split("://", 1)[1].split("/", 1)[1]
    client = Client()
    response = client.post(
        f"/{path}", {"first_name": "Léo", "last_name": "Petit", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response["Location"] == "/portail/"
    membership = Membership.objects.get(user__email="accueil@ml.fr")
    assert membership.role == Role.PARTENAIRE
    assert membership.porteurs_limites == []


def test_creer_organisation_refuses_an_existing_name_and_writes_nothing(django_capture_on_commit_callbacks):
    _run(
        "--nom",
        "Espace Jeunes",
        "--type",
        "porteur",
        "--email-coordination",
        "a@ej.fr",
        capture=django_capture_on_commit_callbacks,
    )
    counts = (Organisation.objects.count(), Invitation.objects.count(), len(mail.outbox))
    with pytest.raises(
        CommandError, match="Une organisation nommée « espace jeunes » existe déjà : rien n'a été créé."
    ):
        _run(
            "--nom",
            "espace jeunes",
            "--type",
            "porteur",
            "--email-coordination",
            "b@ej.fr",
            capture=django_capture_on_commit_callbacks,
        )
    with pytest.raises(CommandError, match="SIRET non valable"):
        _run(
            "--nom",
            "Autre",
            "--type",
            "porteur",
            "--siret",
            "123",
            "--email-coordination",
            "b@ej.fr",
            capture=django_capture_on_commit_callbacks,
        )
    assert (Organisation.objects.count(), Invitation.objects.count(), len(mail.outbox)) == counts


def test_creer_organisation_dry_run_writes_nothing(django_capture_on_commit_callbacks):
    out = _run(
        "--nom",
        "Essai",
        "--type",
        "porteur",
        "--email-coordination",
        "a@essai.fr",
        "--dry-run",
        capture=django_capture_on_commit_callbacks,
    )
    assert "Simulation" in out
    assert not Organisation.objects.filter(nom="Essai").exists()


def test_the_admin_add_form_opens_a_structure_and_sends_the_invitation(client, django_capture_on_commit_callbacks):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    form = client.get("/admin/core/organisation/add/")
    assert "E-mail du premier compte" in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/core/organisation/add/",
            {
                "nom": "CCAS de Liévin",
                "sigle": "CCASL",
                "kind": "porteur",
                "commune": "Liévin",
                "siret": "",
                "email": "contact@ccas-lievin.fr",
                "email_premier_compte": "coordination@ccas-lievin.fr",
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    organisation = Organisation.objects.get(nom="CCAS de Liévin")
    assert organisation.commune == "Liévin"
    assert organisation.email == "contact@ccas-lievin.fr"
    invitation = Invitation.objects.get(organisation=organisation)
    assert invitation.role == Role.COORDINATEUR
    assert invitation.invited_by == admin
    assert mail.outbox[-1].to == ["coordination@ccas-lievin.fr"]
    assert not User.objects.filter(email="coordination@ccas-lievin.fr").exists()  # until she accepts
