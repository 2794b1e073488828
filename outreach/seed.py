"""Demo data of repérage: partnerships, aller-vers actions with contacts, orientations in every state (all fake)."""

from datetime import datetime, time, timedelta

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from outreach.models import (
    ActionReperage,
    ContactReperage,
    Orientation,
    OrientationMessage,
    PartenariatOrientation,
)
from youth.models import Jeune


PARTENARIATS = [("acsrv", "capep"), ("acsrv", "cao59"), ("acsrv", "ml"), ("carvin", "ml")]
LIEUX = {
    "acsrv": ["Place d'Armes", "Quartier Chasse Royale", "Gare de Valenciennes", "City stade d'Anzin", "Forum emploi"],
    "carvin": ["Centre-ville de Carvin", "Cité du Bouvier", "Salle des fêtes", "Parc Rolland", "Marché du samedi"],
}
MOTIFS = [
    "Sans solution depuis la sortie de lycée, souhaite être accompagné vers l'emploi.",
    "Besoin d'un accompagnement pour définir un projet professionnel.",
    "Recherche un emploi, freins de mobilité (pas de permis).",
    "Sortie de dispositif sans solution, demande un accompagnement renforcé.",
]
STAFF = {"acsrv": "conseillere@acsrv.demo", "carvin": "conseillere@carvin.demo"}
PARTNER_USERS = {
    "capep": "partenaire@capep.demo",
    "cao59": "partenaire@cao59.demo",
    "ml": "partenaire@ml-valenciennois.demo",
}


def _aware(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _identity(ctx, sexe=None):
    sexe = sexe or ctx.rng.choice("FFH")
    prenom = ctx.faker.first_name_female() if sexe == "F" else ctx.faker.first_name_male()
    age_days = ctx.rng.randint(18 * 365 + 10, 27 * 365)
    return {
        "nom": ctx.faker.last_name(),
        "prenom": prenom,
        "sexe": sexe,
        "date_naissance": ctx.today - timedelta(days=age_days),
        "telephone": f"06 {ctx.rng.randint(10, 99)} {ctx.rng.randint(10, 99)} {ctx.rng.randint(10, 99)} "
        f"{ctx.rng.randint(10, 99)}",
        "commune": ctx.faker.city(),
    }


def _seed_actions(ctx, org_key):
    organisation = ctx.orgs[org_key]
    user = ctx.users[STAFF[org_key]]
    rng = ctx.rng
    actions, contacts = [], []
    # Named aller-vers youth of the youth seed: each gets the action and the contact they were met at.
    aller_vers = list(
        Jeune.objects.for_organisation(organisation)
        .filter(origine=Jeune.Origine.ALLER_VERS)
        .order_by("pk")
        .only("pk", "prenom", "sexe", "date_reperage", "date_naissance")[:60]
    )
    for jeune in aller_vers:
        actions.append(
            ActionReperage(
                organisation=organisation,
                date=jeune.date_reperage,
                lieu=rng.choice(LIEUX[org_key]),
                type=rng.choice(ActionReperage.Type.values),
                personnes_rencontrees=rng.randint(3, 20),
                created_by=user,
            )
        )
    for _ in range(25):
        actions.append(
            ActionReperage(
                organisation=organisation,
                date=ctx.today - timedelta(days=rng.randint(0, 300)),
                lieu=rng.choice(LIEUX[org_key]),
                type=rng.choice(ActionReperage.Type.values),
                personnes_rencontrees=rng.randint(2, 25),
                notes="Échanges informels, distribution de flyers.",
                created_by=user,
            )
        )
    actions = bulk_create_with_history(actions, ActionReperage, default_user=user)
    if not actions[0].pk:  # backends without RETURNING
        actions = list(ActionReperage.objects.for_organisation(organisation).order_by("pk"))
    for action, jeune in zip(actions, aller_vers, strict=False):
        contacts.append(
            ContactReperage(
                organisation=organisation,
                action=action,
                date_contact=action.date,
                prenom_ou_pseudo=jeune.prenom,
                age_approximatif=max(16, jeune.age or 18),
                sexe=jeune.sexe,
                moyen_contact="Téléphone noté",
                jeune=jeune,
                converti_le=_aware(action.date, 16),
            )
        )
    for action in actions[len(aller_vers) :]:
        for _ in range(rng.randint(0, 3)):
            sexe = rng.choice("FH")
            contacts.append(
                ContactReperage(
                    organisation=organisation,
                    action=action,
                    date_contact=action.date,
                    prenom_ou_pseudo=rng.choice(["Momo", "Lulu", "Dydy", "Nono", "Sam", "Kenz", "Jojo", "Lili"])
                    if rng.random() < 0.4
                    else (ctx.faker.first_name_female() if sexe == "F" else ctx.faker.first_name_male()),
                    age_approximatif=rng.randint(16, 26),
                    sexe=sexe,
                    moyen_contact=rng.choice(["Snapchat", "Par son cousin", "Au city stade le mercredi", "06 …"]),
                )
            )
    bulk_create_with_history(contacts, ContactReperage, default_user=user)
    return len(actions), len(contacts)


def _orientation(ctx, porteur, partenaire, statut, *, user, when, jeune=None, sens=Orientation.Sens.ENTRANTE):
    identity = (
        {
            "nom": jeune.nom,
            "prenom": jeune.prenom,
            "sexe": jeune.sexe,
            "date_naissance": jeune.date_naissance,
            "telephone": jeune.telephone,
            "commune": jeune.commune,
        }
        if jeune
        else _identity(ctx)
    )
    sent = statut != Orientation.Statut.BROUILLON
    decided = statut in (Orientation.Statut.ACCEPTEE, Orientation.Statut.REFUSEE)
    return Orientation(
        organisation=porteur,
        partenaire=partenaire,
        sens=sens,
        statut=statut,
        situation="Sans emploi ni formation, pas d'accompagnement en cours.",
        motif=ctx.rng.choice(MOTIFS),
        attentes="Être accompagné vers un emploi ou une formation.",
        urgence=ctx.rng.choice(["normale", "normale", "prioritaire", "urgente"]),
        attestation_information=True,
        created_by=user,
        soumise_le=_aware(when) if sent else None,
        decidee_le=_aware(when + timedelta(days=ctx.rng.randint(1, 10))) if decided else None,
        motif_refus="Le jeune a déjà une solution de formation." if statut == Orientation.Statut.REFUSEE else "",
        jeune=jeune,
        **identity,
    )


def seed_demo(ctx):
    for porteur_key, partenaire_key in PARTENARIATS:
        PartenariatOrientation.objects.for_platform().get_or_create(
            porteur=ctx.orgs[porteur_key],
            partenaire=ctx.orgs[partenaire_key],
            defaults={"date_debut": ctx.today.replace(month=1, day=1) - timedelta(days=365)},
        )
    for org_key in ("acsrv", "carvin"):
        n_actions, n_contacts = _seed_actions(ctx, org_key)
        ctx.log(f"outreach : {n_actions} actions de repérage, {n_contacts} contacts pour {ctx.orgs[org_key]}.")

    orientations = []
    for porteur_key, partenaire_key in PARTENARIATS:
        porteur, partenaire = ctx.orgs[porteur_key], ctx.orgs[partenaire_key]
        partner_user = ctx.users[PARTNER_USERS[partenaire_key]]
        # Youth of the youth seed oriented by this partner: their orientation was accepted.
        oriented = (
            Jeune.objects.for_organisation(porteur).filter(organisation_orienteuse=partenaire).order_by("pk")[:60]
        )
        for jeune in oriented:
            orientations.append(
                _orientation(
                    ctx,
                    porteur,
                    partenaire,
                    Orientation.Statut.ACCEPTEE,
                    user=partner_user,
                    when=jeune.date_reperage,
                    jeune=jeune,
                )  # fmt: skip
            )
        # Pending and closed ones, in every state
        for statut, count in (("brouillon", 1), ("recue", 3), ("en_examen", 2), ("refusee", 2), ("retiree", 1)):
            for _ in range(count):
                when = ctx.today - timedelta(days=ctx.rng.randint(1, 40))
                orientations.append(_orientation(ctx, porteur, partenaire, statut, user=partner_user, when=when))
    # Outward orientations: ACSRV orients young people to the Mission Locale (CEJ)
    acsrv, ml = ctx.orgs["acsrv"], ctx.orgs["ml"]
    staff = ctx.users[STAFF["acsrv"]]
    candidates = list(Jeune.objects.for_organisation(acsrv).filter(statut=Jeune.Statut.EN_PARCOURS).order_by("pk")[:3])
    for jeune, statut in zip(candidates, ("recue", "acceptee", "refusee"), strict=False):
        o = _orientation(
            ctx, acsrv, ml, statut, user=staff, when=ctx.today - timedelta(days=10), jeune=jeune,
            sens=Orientation.Sens.SORTANTE,
        )  # fmt: skip
        o.motif = "Entrée en contrat d'engagement jeune (CEJ) à la Mission Locale."
        orientations.append(o)
    bulk_create_with_history(orientations, Orientation, default_user=staff)
    messages = []
    for orientation in (
        Orientation.objects.for_platform().filter(statut=Orientation.Statut.EN_EXAMEN).select_related("organisation")
    ):
        messages.append(
            OrientationMessage(
                orientation=orientation,
                auteur=ctx.users[STAFF["acsrv" if orientation.organisation == acsrv else "carvin"]],
                auteur_organisation=orientation.organisation,
                texte="Bonjour, le jeune a-t-il déjà été suivi par la Mission Locale ? Merci.",
            )
        )
    bulk_create_with_history(messages, OrientationMessage, default_user=staff)
    ctx.log(f"outreach : {len(orientations)} orientations, {len(messages)} messages.")
