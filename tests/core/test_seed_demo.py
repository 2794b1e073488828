import pytest
from django.core.management import call_command

from core.models import Membership, Organisation, User
from funding.models import Operation


pytestmark = pytest.mark.django_db


def test_seed_demo_empty_creates_organisations_accounts_and_operations():
    call_command("seed_demo", "--empty")
    call_command("seed_demo", "--empty")  # idempotent
    assert Organisation.objects.count() == 5
    assert User.objects.count() == 8
    assert Membership.objects.count() == 8
    assert User.objects.get(email="conseillere@acsrv.demo").check_password("tremplin-demo")
    noe = Operation.objects.get(code="NOE")
    assert (noe.age_min, noe.age_max, str(noe.date_debut), str(noe.date_fin)) == (16, 25, "2016-01-01", "2018-12-31")
    assert {o.indicateur: o.cible for o in noe.objectifs.all()} == {"reperes": 300, "entrees": 160}
    assert Operation.objects.get(code="EME").organisation.sigle == "ACSRV"


def test_demo_account_logs_in_and_sees_french_home(client):
    call_command("seed_demo", "--empty")
    response = client.post("/connexion/", {"username": "conseillere@acsrv.demo", "password": "tremplin-demo"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert "Bonjour Sophie" in page
    assert "ACSRV" in page
