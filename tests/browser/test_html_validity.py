"""The main pages are valid HTML (Nu HTML Checker, errors only), fetched with the Django test client.

Each page is fetched as the role that uses it, with records of every app on it (a young person with an entry,
an evaluation, a workshop registration, a partner's orientation, an employer).
"""

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.browser import htmlcheck


pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db,
    pytest.mark.skipif(htmlcheck.unavailable_reason() is not None, reason=htmlcheck.unavailable_reason() or ""),
]

CONSEILLERE = "conseillere@acsrv.demo"
COORDINATION = "coordination@acsrv.demo"
ENTREPRISES = "entreprises@acsrv.demo"
PARTENAIRE = "partenaire@capep.demo"


def _objects():
    """Records of ACSRV and of its partner CAPEP, so detail pages have something to show."""
    from core.models import Organisation
    from funding.models import Operation
    from tests.diagnostics.factories import SMALL, evaluate, questionnaire
    from tests.employers.factories import EntrepriseFactory
    from tests.outreach.factories import OrientationFactory, PartenariatFactory
    from tests.workshops.factories import AtelierFactory, InscriptionFactory, SeanceFactory
    from tests.youth.factories import JeuneFactory, ParticipationFactory

    acsrv = Organisation.objects.get(sigle="ACSRV")
    capep = Organisation.objects.get(sigle="CAPEP")
    eme = Operation.objects.get(code="EME")
    jeune = JeuneFactory(organisation=acsrv, nom="Validité", prenom="Inès")
    participation = ParticipationFactory(jeune=jeune, operation=eme, entree=True)
    version = questionnaire(acsrv, SMALL).versions.get()
    evaluate(jeune, version, scores_by_label={"Vous prenez le bus": 3, "Vous voyagez seul": 2})
    seance = SeanceFactory(atelier=AtelierFactory(organisation=acsrv, operation=eme))
    InscriptionFactory(seance=seance, jeune=jeune)
    PartenariatFactory(porteur=acsrv, partenaire=capep)
    orientation = OrientationFactory(organisation=acsrv, partenaire=capep, nom="Orientée", prenom="Lou")
    entreprise = EntrepriseFactory(organisation=acsrv)
    return {
        "jeune": jeune,
        "participation": participation,
        "seance": seance,
        "orientation": orientation,
        "entreprise": entreprise,
        "eme": eme,
    }


# Errors reported to the page's owner, accepted until fixed: {page label: [message fragment]}.
# Each must still occur (the test fails once it is fixed, so the entry is removed with the fix).
KNOWN_ERRORS = {}
BROKEN, HTMX_ONLY = "document cassé (témoin)", "attributs htmx (témoin)"
TITLE = re.compile(r"<title>(.*?)</title>", re.S)

# (label, user e-mail or None, URL name, kwargs builder, expected status)
PAGES = [
    ("connexion", None, "login", None, 200),
    ("mot de passe oublié", None, "password_reset", None, 200),
    ("accueil conseillère", CONSEILLERE, "home", None, 200),
    ("accueil coordination", COORDINATION, "home", None, 200),
    ("accueil chargé entreprises", ENTREPRISES, "home", None, 200),
    ("liste des jeunes", CONSEILLERE, "youth:jeune_list", None, 200),
    ("nouveau jeune", CONSEILLERE, "youth:jeune_create", None, 200),
    ("dossier", CONSEILLERE, "youth:jeune_detail", lambda o: {"pk": o["jeune"].pk}, 200),
    ("historique du dossier", CONSEILLERE, "youth:jeune_history", lambda o: {"pk": o["jeune"].pk}, 200),
    ("entretiens", CONSEILLERE, "youth:entretien_list", lambda o: {"pk": o["jeune"].pk}, 200),
    (
        "sortie",
        CONSEILLERE,
        "youth:participation_sortie",
        lambda o: {"pk": o["jeune"].pk, "ppk": o["participation"].pk},
        200,
    ),
    ("page introuvable", CONSEILLERE, "youth:jeune_detail", lambda o: {"pk": 987654321}, 404),
    ("diagnostic saisie", CONSEILLERE, "diagnostics:evaluation_create", lambda o: {"jeune_id": o["jeune"].pk}, 200),
    ("diagnostics du jeune", CONSEILLERE, "diagnostics:jeune_diagnostics", lambda o: {"jeune_id": o["jeune"].pk}, 200),
    ("repérage", CONSEILLERE, "outreach:index", None, 200),
    ("orientations reçues", CONSEILLERE, "outreach:orientation_list", None, 200),
    ("orientation à examiner", CONSEILLERE, "outreach:orientation_detail", lambda o: {"pk": o["orientation"].pk}, 200),
    ("portail", PARTENAIRE, "portal:home", None, 200),
    ("nouvelle orientation", PARTENAIRE, "portal:orientation_create", None, 200),
    ("orientation du partenaire", PARTENAIRE, "portal:orientation_detail", lambda o: {"pk": o["orientation"].pk}, 200),
    ("agenda", CONSEILLERE, "agenda:agenda", None, 200),
    ("planifier un rendez-vous", CONSEILLERE, "agenda:rendez_vous_create", None, 200),
    ("ateliers", CONSEILLERE, "workshops:atelier_list", None, 200),
    ("séance", CONSEILLERE, "workshops:seance_detail", lambda o: {"pk": o["seance"].pk}, 200),
    ("immersions", CONSEILLERE, "workshops:immersion_list", None, 200),
    ("entreprises", ENTREPRISES, "employers:entreprise_list", None, 200),
    ("entreprise", ENTREPRISES, "employers:entreprise_detail", lambda o: {"pk": o["entreprise"].pk}, 200),
    ("financements", COORDINATION, "funding:operation_list", None, 200),
    ("opération", COORDINATION, "funding:operation_detail", lambda o: {"pk": o["eme"].pk}, 200),
    ("bilans", COORDINATION, "reports:bilan_index", None, 200),
    ("bilan de l'opération", COORDINATION, "reports:bilan_operation", lambda o: {"pk": o["eme"].pk}, 200),
    ("sécurité du compte", COORDINATION, "security_home", None, 200),
]


def test_main_pages_are_valid_html():
    call_command("seed_demo", "--empty", verbosity=0)
    objects = _objects()
    clients = {}
    documents, missing, wrong_status = {}, [], []
    for label, email, name, kwargs, status in PAGES:
        try:
            url = reverse(name, kwargs=kwargs(objects) if kwargs else None)
        except NoReverseMatch:
            missing.append(name)
            continue
        if email not in clients:
            client = Client()
            if email:
                from core.models import User

                client.force_login(User.objects.get(email=email))
            clients[email] = client
        response = clients[email].get(url)
        if response.status_code != status:
            wrong_status.append(f"{label} {url} → {response.status_code} (attendu {status})")
            continue
        assert response["Content-Type"].startswith("text/html"), (label, response["Content-Type"])
        documents[f"{label} ({url})"] = response.content.decode()
    assert not missing, f"pages de la liste introuvables (URL renommée ?) : {missing}"
    assert not wrong_status, wrong_status
    # The checker proves itself in the same run (one JVM start): a broken document must be reported, and an
    # htmx attribute (the one accepted exception) must not.
    documents[BROKEN] = '<!DOCTYPE html><html lang="fr"><title>x</title><p><div></p>'
    documents[HTMX_ONLY] = (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>x</title></head>'
        '<body hx-headers=\'{"X-CSRFToken": "t"}\'><p>ok</p></body></html>'
    )
    errors = htmlcheck.validate(documents)
    assert any("Unclosed element “div”" in e for e in errors.pop(BROKEN, [])), "le validateur ne signale rien"
    assert HTMX_ONLY not in errors, errors.get(HTMX_ONLY)
    del documents[BROKEN], documents[HTMX_ONLY]
    for name, html in documents.items():
        title = TITLE.search(html)
        if title is None or not title.group(1).strip():
            errors.setdefault(name, []).append("pas de <title>")
        elif "<" in title.group(1):
            errors.setdefault(name, []).append(f"balisage dans <title> : {title.group(1).strip()[:120]}")
    still_known = set()
    for name in list(errors):
        label = name.split(" (/")[0]
        kept = []
        for message in errors[name]:
            fragment = next((f for f in KNOWN_ERRORS.get(label, []) if f in message), None)
            if fragment is None:
                kept.append(message)
            else:
                still_known.add((label, fragment))
        if kept:
            errors[name] = kept
        else:
            del errors[name]
    report = "\n".join(f"{name}:\n  " + "\n  ".join(messages) for name, messages in errors.items())
    assert not errors, f"HTML invalide (Nu HTML Checker) :\n{report}"
    fixed = {(label, f) for label, fragments in KNOWN_ERRORS.items() for f in fragments} - still_known
    assert not fixed, f"erreurs connues corrigées, retirez-les de KNOWN_ERRORS : {sorted(fixed)}"
