import random
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from faker import Faker

from agenda import seed
from agenda.models import RendezVous
from core.models import Organisation, User
from home.management.commands.seed_demo import SeedContext
from tests.workshops.factories import SeanceFactory
from tests.youth.factories import JeuneFactory
from workshops.models import Seance


pytestmark = pytest.mark.django_db


def test_demo_rendez_vous_around_today_and_sessions_she_runs():
    call_command("seed_demo", "--empty", verbosity=0)
    orgs = {"acsrv": Organisation.objects.get(sigle="ACSRV"), "carvin": Organisation.objects.get(sigle="CCAS Carvin")}
    users = {user.email: user for user in User.objects.all()}
    sophie = users["conseillere@acsrv.demo"]
    for i in range(5):
        JeuneFactory(organisation=orgs["acsrv"], referent=sophie, nom=f"Demo{i}", telephone=f"06 12 34 56 {i:02d}")
        JeuneFactory(organisation=orgs["carvin"], nom=f"Carvin{i}")
    today = timezone.localdate()
    seance = SeanceFactory(atelier__organisation=orgs["acsrv"], date=today + timedelta(days=3))
    ctx = SeedContext(orgs=orgs, users=users, operations={}, faker=Faker("fr_FR"), rng=random.Random(1), today=today)
    seed.seed_demo(ctx)
    mine = RendezVous.objects.filter(conseillere=sophie)
    days = {timezone.localtime(r.debut).date() for r in mine}
    assert today in days
    assert any(day > today + timedelta(days=7 - today.weekday() - 1) for day in days)  # next week
    past = {r.statut for r in mine if r.debut < timezone.now() - timedelta(days=1)}
    assert {RendezVous.Statut.HONORE, RendezVous.Statut.MANQUE} <= past
    assert all(r.jeune.organisation == orgs["acsrv"] and r.jeune.referent == sophie for r in mine)
    assert RendezVous.objects.filter(conseillere=users["conseillere@carvin.demo"]).exists()
    assert Seance.objects.get(pk=seance.pk).animatrice == sophie

    # then the messages seed: the invitations of the planned rendez-vous are listed, one failed SMS among them
    from messaging import seed as messaging_seed
    from messaging.models import Message

    messaging_seed.seed_demo(ctx)
    sent = Message.objects.for_platform().filter(kind=Message.Kind.INVITATION).select_related("jeune", "rendez_vous")
    assert sent.filter(statut=Message.Statut.ENVOYE).exists()
    assert sent.filter(statut=Message.Statut.ECHEC).exists()
    for message in sent:
        assert message.jeune.accepte_sms or message.jeune.accepte_email
        assert message.rendez_vous.statut == RendezVous.Statut.PLANIFIE
