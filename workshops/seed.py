"""Demo workshops (incl. Les Z'ELLES), sessions with attendance, immersions, placements and material aids.

Runs after youth and diagnostics; uses the companies created by ``employers.seed``. All data are fake.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from employers.models import Entreprise, Placement, SuiviPlacement
from funding.models import Aide, AideKind, LigneBudgetaire
from workshops.models import Atelier, Immersion, Inscription, Public, Seance
from youth.models import Participation


CATALOGUE = {
    "acsrv": [
        (
            "Les Z'ELLES",
            Atelier.Theme.REDYNAMISATION,
            Public.FEMMES,
            "Redynamisation et levée des freins",
            "CIDFF du Nord",
        ),
        ("CV et lettre de motivation", Atelier.Theme.TRE, Public.TOUS, "Techniques de recherche d'emploi", ""),
        ("Simulation d'entretien d'embauche", Atelier.Theme.TRE, Public.TOUS, "Techniques de recherche d'emploi", ""),
        ("Mes démarches en ligne", Atelier.Theme.NUMERIQUE, Public.TOUS, "Redynamisation et levée des freins", ""),
        (
            "Bouger sur le territoire",
            Atelier.Theme.MOBILITE,
            Public.TOUS,
            "Redynamisation et levée des freins",
            "Transvilles",
        ),
    ],
    "carvin": [
        (
            "Redynamisation : reprendre confiance",
            Atelier.Theme.REDYNAMISATION,
            Public.TOUS,
            "Action 2 — redynamisation",
            "",
        ),
        (
            "Découverte des métiers en tension",
            Atelier.Theme.DECOUVERTE_METIERS,
            Public.TOUS,
            "Action 3 — validation du projet",
            "",
        ),
        (
            "Code de la route",
            Atelier.Theme.MOBILITE,
            Public.TOUS,
            "Action 2 — levée des freins",
            "Auto-école solidaire",
        ),
    ],
}
LIEUX = {"acsrv": ["Centre social Dutemple, Valenciennes", "Maison de quartier, Anzin"], "carvin": ["CCAS de Carvin"]}
EMPLOI_SORTIES = {"emploi_cdi": "cdi", "emploi_cdd_6m_plus": "cdd", "emploi_cdd_moins_6m": "cdd", "interim": "interim"}
METIERS = [
    "Agent·e de propreté",
    "Employé·e de libre-service",
    "Aide à domicile",
    "Cariste",
    "Commis de cuisine",
    "Coiffeur·se",
]


def _active_on(participations, day):
    return [p for p in participations if p.date_entree <= day and (p.date_sortie is None or p.date_sortie >= day)]


def seed_demo(ctx):
    rng, today = ctx.rng, ctx.today
    for org_key, catalogue in CATALOGUE.items():
        org = ctx.orgs[org_key]
        operation = ctx.operations["EME" if org_key == "acsrv" else "NOE"]
        participations = list(
            Participation.objects.for_organisation(org)
            .filter(operation=operation, date_entree__isnull=False)
            .exclude(date_sortie=None, date_entree__gt=today)
            .select_related("jeune")
        )
        if not participations:
            continue
        entreprises = ctx.extra.get("entreprises", {}).get(org_key) or list(Entreprise.objects.for_organisation(org))
        # Sessions cover the operation's last 10 months of activity (up to a month ahead for a live operation).
        end = min(operation.date_fin, today + timedelta(days=30))
        start = max(operation.date_debut, end - timedelta(days=300))
        ateliers = Atelier.objects.bulk_create(
            Atelier(
                organisation=org,
                operation=operation,
                intitule=intitule,
                theme=theme,
                public=public,
                action=action,
                partenaire=partenaire,
                animateur=ctx.faker.name(),
            )
            for intitule, theme, public, action, partenaire in catalogue
        )
        seances = []
        for atelier in ateliers:
            if atelier.public == Public.FEMMES:
                # Les Z'ELLES: one session a year (the seed), on a weekday of the spring of each convention year
                for year in range(operation.date_debut.year, min(operation.date_fin.year, today.year) + 1):
                    day = date(year, 4, 1) + timedelta(days=rng.randint(0, 60))
                    day += timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)
                    if not operation.date_debut <= day <= end:
                        continue
                    seances.append(
                        Seance(
                            atelier=atelier,
                            date=day,
                            heure_debut=time(9, 30),
                            heure_fin=time(16, 30),
                            lieu=rng.choice(LIEUX[org_key]),
                            capacite=10,
                            presences_saisies_le=(
                                timezone.make_aware(datetime.combine(day, time(17, 0))) if day <= today else None
                            ),
                        )
                    )
                continue
            day = start + timedelta(days=rng.randint(0, 13))
            while day <= end:
                if day.weekday() >= 5:  # sessions on weekdays only
                    day += timedelta(days=7 - day.weekday())
                    continue
                matin = rng.random() < 0.5
                seances.append(
                    Seance(
                        atelier=atelier,
                        date=day,
                        heure_debut=time(9, 30) if matin else time(14, 0),
                        heure_fin=time(12, 0) if matin else time(16, 30),
                        lieu=rng.choice(LIEUX[org_key]),
                        capacite=10 if atelier.public == Public.FEMMES else 12,
                        presences_saisies_le=(
                            timezone.make_aware(datetime.combine(day, time(17, 0))) if day <= today else None
                        ),
                    )
                )
                day += timedelta(days=rng.choice([14, 21, 28]))
        seances = Seance.objects.bulk_create(seances)
        inscriptions = []
        for seance in seances:
            candidats = _active_on(participations, seance.date)
            if seance.atelier.public == Public.FEMMES:
                candidats = [p for p in candidats if p.jeune.sexe == "F"]
            for participation in rng.sample(candidats, min(len(candidats), rng.randint(3, seance.capacite - 1))):
                presence = ""
                if seance.date <= today:
                    presence = rng.choices(["present", "absent_excuse", "absent"], weights=[75, 12, 13])[0]
                inscriptions.append(Inscription(seance=seance, jeune=participation.jeune, presence=presence))
        Inscription.objects.bulk_create(inscriptions)

        # Immersions: one for about a fifth of the participants, inside their parcours, 5 to 14 days.
        immersions = []
        for participation in rng.sample(participations, len(participations) // 5):
            debut = participation.date_entree + timedelta(days=rng.randint(20, 90))
            if participation.date_sortie and debut > participation.date_sortie:
                continue
            fin = debut + timedelta(days=rng.randint(4, 13))
            passee = fin < today
            immersions.append(
                Immersion(
                    organisation=org,
                    jeune=participation.jeune,
                    entreprise=rng.choice(entreprises),
                    prescripteur="Mission Locale du Valenciennois"
                    if org_key == "acsrv"
                    else "Mission locale de l'Artois",
                    objet=rng.choice(list(Immersion.Objet)),
                    metier=rng.choice(METIERS),
                    date_debut=debut,
                    date_fin=fin,
                    heures_hebdo=Decimal(rng.choice([20, 24, 30, 35])),
                    tuteur_nom=ctx.faker.name(),
                    objectifs="Découvrir les gestes du métier et vérifier l'intérêt pour le secteur.",
                    evaluee_le=fin if passee else None,
                    objectifs_atteints=(rng.random() < 0.7) if passee else None,
                    evaluation="Bilan réalisé avec le tuteur." if passee else "",
                )
            )
        Immersion.objects.bulk_create(immersions)

        # Placements for exits into a job, with one or two follow-up visits.
        placements = []
        for participation in participations:
            contrat = EMPLOI_SORTIES.get(participation.situation_sortie)
            if not contrat or not participation.date_sortie:
                continue
            placements.append(
                Placement(
                    organisation=org,
                    jeune=participation.jeune,
                    entreprise=rng.choice(entreprises),
                    poste=rng.choice(METIERS),
                    type_contrat=contrat,
                    date_debut=participation.date_sortie,
                    date_fin=None
                    if contrat == "cdi"
                    else participation.date_sortie + timedelta(days=rng.choice([90, 180, 240])),
                    tuteur=ctx.faker.name(),
                )
            )
        placements = Placement.objects.bulk_create(placements)
        suivis = []
        for placement in placements:
            for weeks in (2, 8)[: rng.randint(1, 2)]:
                day = placement.date_debut + timedelta(weeks=weeks)
                if day <= today:
                    suivis.append(
                        SuiviPlacement(
                            placement=placement,
                            date=day,
                            avec=rng.choice(list(SuiviPlacement.Avec)),
                            compte_rendu="Point d'étape : intégration dans l'équipe, horaires, transport.",
                        )
                    )
        SuiviPlacement.objects.bulk_create(suivis)
        _seed_aides(ctx, org, operation, participations)
        ctx.log(
            f"workshops : {len(ateliers)} ateliers, {len(seances)} séances, {len(inscriptions)} inscriptions, "
            f"{len(immersions)} immersions, {len(placements)} placements pour {org}."
        )


def _seed_aides(ctx, org, operation, participations):
    rng, today = ctx.rng, ctx.today
    ligne = operation.lignes_budgetaires.filter(categorie=LigneBudgetaire.Categorie.PARTICIPANTS).first()
    if ligne is None:
        return
    aides = []
    author = ctx.users.get("conseillere@acsrv.demo" if operation.code == "EME" else "conseillere@carvin.demo")

    def add(participation, kind, day, montant, **extra):
        aides.append(
            Aide(
                organisation=org,
                participation=participation,
                ligne_budgetaire=ligne,
                kind=kind,
                date_attribution=day,
                montant=Decimal(montant),
                created_by=author,
                **extra,
            )
        )

    if operation.code == "EME":
        # PERMIS_AM_PER_YEAR permis AM each year of the convention (the seed; also the yearly cap), among young
        # people in parcours that year.
        for year in range(operation.date_debut.year, min(operation.date_fin.year, today.year) + 1):
            year_start, year_end = date(year, 1, 1), min(date(year, 12, 31), today)
            in_year = [
                p
                for p in participations
                if p.date_entree <= year_end - timedelta(days=10)
                and (p.date_sortie is None or p.date_sortie >= year_start)
            ]
            _permis_am(rng, today, add, in_year, year_start, year_end)
    amounts = {AideKind.VETURE: "85", AideKind.TRANSPORT: "32", AideKind.TICKETS_SERVICE: "50"}
    for participation in rng.sample(participations, min(len(participations), 40)):
        kind = rng.choice(list(amounts))
        day = participation.date_entree + timedelta(days=rng.randint(5, 60))
        if day > today or (participation.date_sortie and day > participation.date_sortie):
            continue
        add(participation, kind, day, amounts[kind])
    Aide.objects.bulk_create(aides)


PERMIS_AM_PER_YEAR = 15


def _permis_am(rng, today, add, participations, year_start, year_end):
    for participation in rng.sample(participations, min(PERMIS_AM_PER_YEAR, len(participations))):
        first = max(year_start, participation.date_entree)
        last = min(year_end, participation.date_sortie or year_end)
        day = first + timedelta(days=rng.randint(0, max(0, (last - first).days)))
        obtenu = (today - day).days > 45
        add(
            participation,
            AideKind.PERMIS_AM,
            day,
            "450",
            assr_justificatif=True,
            formation_debut=day + timedelta(days=14),
            formation_fin=day + timedelta(days=15),
            permis_obtenu=obtenu,
            date_obtention=day + timedelta(days=30) if obtenu else None,
        )
