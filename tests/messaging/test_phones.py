"""Phone numbers: normalised, validated on the dossier form in French, told when they cannot receive an SMS."""

import pytest
from django.urls import reverse

from core import phones
from core.models import Role
from tests.core.factories import MembershipFactory
from youth.models import Jeune


@pytest.mark.parametrize(
    ("typed", "stored", "e164", "sms"),
    [
        ("0612345678", "06 12 34 56 78", "+33612345678", True),
        ("06.12.34.56.78", "06 12 34 56 78", "+33612345678", True),
        ("+33 6 12 34 56 78", "06 12 34 56 78", "+33612345678", True),
        ("0033612345678", "06 12 34 56 78", "+33612345678", True),
        ("07 81 22 33 44", "07 81 22 33 44", "+33781223344", True),
        ("03 27 11 22 33", "03 27 11 22 33", "+33327112233", False),  # a landline
        ("09 70 12 34 56", "09 70 12 34 56", "+33970123456", False),
        ("0692 12 34 56", "0692 12 34 56", "+262692123456", True),  # Réunion
        ("+44 7911 123456", "+44 7911 123456", "+447911123456", True),
    ],
)
def test_normalisation(typed, stored, e164, sms):
    assert phones.normalise(typed) == stored
    assert phones.e164(typed) == e164
    assert phones.can_receive_sms(typed) is sms


@pytest.mark.parametrize("typed", ["06", "12345", "06 12 34 56 78 90", "bonjour", "", "07 00 00 00 00"])
def test_invalid_numbers(typed):
    with pytest.raises(phones.InvalidPhoneNumber):
        phones.normalise(typed)
    assert phones.e164(typed) is None
    assert phones.can_receive_sms(typed) is False


@pytest.fixture
def logged(client, db):
    membership = MembershipFactory(role=Role.CONSEILLERE)
    client.force_login(membership.user)
    return client, membership


def _post(**overrides):
    data = {
        "nom": "Durand",
        "prenom": "Inès",
        "sexe": "F",
        "date_naissance": "2004-05-17",
        "telephone": "0612345678",
        "origine": "aller_vers",
        "date_reperage": "2025-03-01",
    }
    return data | overrides


def test_the_form_stores_readable_numbers_and_consent(logged):
    client, membership = logged
    response = client.post(
        reverse("youth:jeune_create"),
        _post(
            telephone="+33612345678",
            contact_nom="Mme Durand",
            contact_telephone="0327112233",
            accepte_sms="on",
            representant_legal_email="parent@exemple.fr",
        ),
    )
    assert response.status_code == 302
    jeune = Jeune.objects.for_organisation(membership.organisation).get()
    assert (jeune.telephone, jeune.contact_telephone) == ("06 12 34 56 78", "03 27 11 22 33")
    assert (jeune.accepte_sms, jeune.accepte_email) == (True, False)
    assert jeune.representant_legal_email == "parent@exemple.fr"


@pytest.mark.parametrize("field", ["telephone", "contact_telephone", "representant_legal_telephone"])
def test_the_form_refuses_an_invalid_number_in_french_and_keeps_it(logged, field):
    client, membership = logged
    response = client.post(reverse("youth:jeune_create"), _post(**{field: "06 12", "contact_nom": "Mme Durand"}))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[field] == ["Numéro de téléphone invalide : « 06 12 »."]
    assert 'value="06 12"' in response.content.decode()
    assert not Jeune.objects.for_organisation(membership.organisation).exists()
