"""Demo population (all fake): ACSRV in « En mode emploi » (EME), CCAS de Carvin in NOE (2016–2018).

NOE is seeded to match its real bilan: 330 repérés, 162 FSE entries (plus 3 same-day entry/exit that do not
count), every participant out by the end of 2018, 66 % positive exits (107 of 162) split as the seed gives them
(30 % employment, 13 % training, 23 % dispositifs), 60 short jobs during the parcours. En mode emploi: about 150
entries a year (the seed's yearly public). The counts are computed from these rates, not typed in.
"""

from datetime import date, timedelta

from simple_history.utils import bulk_create_with_history

from youth.models import (
    Document,
    Entretien,
    EtapePlan,
    Frein,
    Jeune,
    Participation,
    SuiviPostSortie,
    age_on,
    search_key,
)


S = Participation.SituationSortie
POSITIVE = [
    (S.EMPLOI_CDI, 6),
    (S.EMPLOI_CDD_6M_PLUS, 10),
    (S.EMPLOI_CDD_MOINS_6M, 12),
    (S.INTERIM, 10),
    (S.CONTRAT_AIDE, 5),
    (S.CREATION_ENTREPRISE, 1),
    (S.FORMATION_QUALIFIANTE, 14),
    (S.FORMATION_AUTRE, 6),
    (S.ALTERNANCE, 8),
    (S.REPRISE_ETUDES, 3),
    (S.DISPOSITIF_SERVICE_CIVIQUE, 5),
    (S.DISPOSITIF_EPIDE, 2),
    (S.DISPOSITIF_CEJ, 8),
    (S.DISPOSITIF_E2C, 4),
    (S.DISPOSITIF_MOBILITE_EUROPEENNE, 1),
    (S.DISPOSITIF_AUTRE, 3),
]
# The seeds' own figures.
NOE_EXITS = {"emploi": 0.30, "formation": 0.13, "dispositif": 0.23}  # of 162 exits: 66 % positive
NOE_SHORT_JOBS = 60
EME_ENTRIES_PER_YEAR = 150
CATEGORY = {
    "emploi": {S.EMPLOI_CDI, S.EMPLOI_CDD_6M_PLUS, S.EMPLOI_CDD_MOINS_6M, S.INTERIM, S.CONTRAT_AIDE},
    "formation": {S.FORMATION_QUALIFIANTE, S.FORMATION_AUTRE, S.ALTERNANCE, S.REPRISE_ETUDES},
    "dispositif": {
        S.DISPOSITIF_SERVICE_CIVIQUE,
        S.DISPOSITIF_EPIDE,
        S.DISPOSITIF_CEJ,
        S.DISPOSITIF_E2C,
        S.DISPOSITIF_MOBILITE_EUROPEENNE,
        S.DISPOSITIF_AUTRE,
    },
}
CATEGORY["emploi"].add(S.CREATION_ENTREPRISE)
# Official geographic codes of the demo communes (for EECO17 with the demo density grid of reports.seed).
INSEE = {
    "Valenciennes": "59606",
    "Anzin": "59014",
    "Saint-Saulve": "59544",
    "Marly": "59383",
    "Denain": "59172",
    "Raismes": "59491",
    "Carvin": "62215",
    "Libercourt": "62907",
    "Oignies": "62637",
    "Estevelles": "62311",
}
NEGATIVE = [(S.RECHERCHE_EMPLOI, 14), (S.INACTIF, 5), (S.ABANDON, 8), (S.DEMENAGEMENT, 4), (S.INCONNU, 3)]

NOTES = [
    "Point sur les démarches en cours. Le jeune a apporté son CV mis à jour.",
    "Préparation d'un entretien d'embauche : simulation et conseils de présentation.",
    "Inscription à l'atelier collectif « techniques de recherche d'emploi ».",
    "Recherche d'offres sur le secteur de la logistique, trois candidatures envoyées ensemble.",
    "Démarches administratives : renouvellement de la carte d'identité engagé.",
    "Point mobilité : étude des horaires de bus pour rejoindre la zone d'activité.",
    "Bilan de l'immersion en entreprise : retour positif du tuteur.",
    "Échange sur le projet professionnel, intérêt confirmé pour la vente.",
    "Aide à la création de l'espace France Travail et de la messagerie.",
    "Relance téléphonique après une absence au rendez-vous précédent.",
]
ETAPES = [
    "Mettre à jour le CV",
    "S'inscrire à France Travail",
    "Passer le code de la route",
    "Réaliser une immersion en entreprise (PMSMP)",
    "Ouvrir un compte bancaire",
    "Participer à l'atelier savoir-être",
    "Constituer le dossier de formation",
    "Prendre rendez-vous avec l'assistante sociale",
]
NEXT_STEPS = ["Envoyer deux candidatures", "Apporter le justificatif de domicile", "Rappeler l'entreprise", ""]


def _weighted(rng, choices):
    values = [c for c, _ in choices]
    weights = [w for _, w in choices]
    return rng.choices(values, weights=weights)[0]


def _rand_date(rng, start, end):
    if end <= start:
        return start
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _birth_for_age(rng, age, on_date):
    """A birth date giving exactly ``age`` completed years on ``on_date``."""
    latest = (
        on_date.replace(year=on_date.year - age)
        if not (on_date.month == 2 and on_date.day == 29)
        else date(on_date.year - age, 2, 28)
    )
    return latest - timedelta(days=rng.randint(0, 360))


class _Builder:
    def __init__(self, ctx, organisation, operation, prefix):
        self.ctx, self.rng, self.faker = ctx, ctx.rng, ctx.faker
        self.organisation, self.operation, self.prefix = organisation, operation, prefix
        self.rows = []  # (jeune, participation or None, plan dict)

    def person(self, n, *, reperage, age, referent, origine, partenaire, statut, age_date=None):
        rng, faker = self.rng, self.faker
        sexe = rng.choices(["F", "H", "X"], weights=[47, 52, 1])[0]
        prenom = faker.first_name_female() if sexe == "F" else faker.first_name_male()
        nom = faker.last_name()
        naissance = _birth_for_age(rng, age, age_date or reperage)
        mineur = age < 18 or age_on(naissance, self.ctx.today) < 18
        reference = f"{self.prefix}-{n:04d}"
        contact_ok = rng.random() > 0.04
        jeune = Jeune(
            organisation=self.organisation,
            reference=reference,
            nom=nom,
            prenom=prenom,
            sexe=sexe,
            date_naissance=naissance,
            telephone=f"0{rng.choice([6, 7])} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
            f"{rng.randint(10, 99)}"
            if contact_ok
            else "",
            email=f"{search_key(prenom).replace(' ', '')}.{search_key(nom).replace(' ', '')}{n}@exemple.fr"
            if contact_ok and rng.random() > 0.3
            else "",
            contact_nom=(contact := faker.name() if rng.random() < 0.3 else ""),
            contact_telephone=f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} 11"
            if contact
            else "",
            adresse=faker.street_address(),
            code_postal=self.ctx.extra.get(f"cp_{self.prefix}", "59300"),
            commune=(commune := rng.choice(self.ctx.extra.get(f"communes_{self.prefix}", ["Valenciennes"]))),
            commune_insee=INSEE.get(commune, "") if rng.random() < 0.95 else "",
            representant_legal_nom=faker.name() if mineur else "",
            representant_legal_telephone=f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} 00 00" if mineur else "",
            obligation_formation=Jeune.ObligationFormation.ACCOMPAGNEMENT if mineur else "",
            referent=referent,
            statut=statut,
            origine=origine,
            organisation_orienteuse=partenaire,
            date_reperage=reperage,
            information_rgpd_le=reperage if statut not in (Jeune.Statut.REPERE, Jeune.Statut.ORIENTE) else None,
        )
        jeune.recherche = jeune.build_search_key()
        return jeune


def _origin(rng, ctx, partner_keys):
    roll = rng.random()
    if roll < 0.4:
        return Jeune.Origine.ALLER_VERS, None
    if roll < 0.8:
        return Jeune.Origine.PARTENAIRE, ctx.orgs[rng.choice(partner_keys)]
    if roll < 0.95:
        return Jeune.Origine.SPONTANE, None
    return Jeune.Origine.AUTRE, None


def _plan_rows(ctx, builder, specs):
    """specs: list of dicts with reperage, age, entree, sortie, situation, kind (repere|entre)."""
    rng = ctx.rng
    jeunes = []
    for n, spec in enumerate(specs, start=1):
        jeunes.append(
            builder.person(
                n,
                reperage=spec["reperage"],
                age=spec["age"],
                referent=spec["referent"],
                origine=spec["origine"],
                partenaire=spec["partenaire"],
                statut=spec["statut"],
                age_date=spec.get("entree"),
            )
        )
    jeunes = bulk_create_with_history(jeunes, Jeune, batch_size=500, default_user=spec["referent"])
    jeunes = list(
        Jeune.objects.for_organisation(builder.organisation).filter(reference__startswith=builder.prefix + "-")
    )
    by_ref = {j.reference: j for j in jeunes}
    participations = []
    for n, spec in enumerate(specs, start=1):
        jeune = by_ref[f"{builder.prefix}-{n:04d}"]
        spec["jeune"] = jeune
        if spec["kind"] == "none":
            continue
        p = Participation(organisation=builder.organisation, jeune=jeune, operation=builder.operation)
        if spec.get("entree"):
            entree = spec["entree"]
            p.date_signature_contrat = entree
            p.date_entree = entree
            p.eligibilite_verifiee_le = entree
            p.neet_atteste = True
            p.objectifs = rng.choice(
                [
                    "Définir un projet professionnel réaliste et accéder à un emploi durable.",
                    "Lever les freins de mobilité et entrer en formation qualifiante.",
                    "Reprendre confiance, retrouver un rythme et accéder à un premier emploi.",
                ]
            )
            if rng.random() < 0.9:
                p.questionnaire_entree_le = entree + timedelta(days=rng.randint(0, 20))
                p.questionnaire_par = spec["referent"]
                # NEET operations: nobody is employed at entry (Operation.emploi_entree_autorise is off)
                p.statut_entree = rng.choices(["chomeur", "inactif"], weights=[63, 37])[0]
                if p.statut_entree == "chomeur":
                    p.inscrit_france_travail = rng.choices(["oui", "non"], weights=[70, 30])[0]
                    if rng.random() < 0.85:  # unemployed for 1 to 24 months at entry
                        p.date_debut_chomage = entree - timedelta(days=rng.randint(30, 730))
                else:
                    p.inscrit_france_travail = "non"
                p.qpv = rng.choices(["oui", "non", "refus"], weights=[35, 62, 3])[0]
                p.diplome = rng.choices(["aucun", "brevet", "cap_bep", "bac", "bac_2"], weights=[35, 20, 25, 17, 3])[0]
                p.nationalite = rng.choices(["fr", "ue", "hors_ue"], weights=[88, 3, 9])[0]
                for field in ("parent_ne_etranger", "handicap", "sans_logement"):
                    setattr(p, field, rng.choices(["oui", "non", "refus"], weights=[12, 80, 8])[0])
            p.emploi_pendant_parcours = spec["emploi_court"] if "emploi_court" in spec else rng.random() < 0.15
        if spec.get("sortie"):
            p.date_sortie = spec["sortie"]
            p.situation_sortie = spec["situation"]
            p.sortie_saisie_le = spec["sortie"]
            p.a_termine = spec["situation"] not in (S.ABANDON, S.DEMENAGEMENT)
            if p.date_sortie > p.date_entree:
                p.date_situation_sortie = p.date_sortie + timedelta(days=rng.choice([0, 3, 7, 14, 21, 28, 35]))
                qualifiante = spec["situation"] in (S.FORMATION_QUALIFIANTE, S.ALTERNANCE)
                p.qualification_obtenue = rng.random() < (0.6 if qualifiante else 0.08)
        participations.append(p)
    bulk_create_with_history(participations, Participation, batch_size=500, default_user=specs[0]["referent"])
    by_jeune = {
        p.jeune_id: p
        for p in Participation.objects.for_organisation(builder.organisation)
        .filter(jeune__in=[s["jeune"] for s in specs])
        .order_by("pk")
    }
    _activity(ctx, builder, specs, by_jeune)


def _activity(ctx, builder, specs, by_jeune):
    rng = ctx.rng
    today = ctx.today
    entretiens, etapes, freins, documents, suivis, last_contact = [], [], [], [], [], {}
    kinds = [(Entretien.Kind.INDIVIDUEL, 60), (Entretien.Kind.TELEPHONE, 25), (Entretien.Kind.VISITE_DOMICILE, 5)]
    kinds += [(Entretien.Kind.ENTREPRISE, 5), (Entretien.Kind.COLLECTIF, 5)]
    sujets = [s for s, _ in Entretien.Sujet.choices]
    org = builder.organisation
    for spec in specs:
        jeune = spec["jeune"]
        participation = by_jeune.get(jeune.pk)
        if spec["statut"] in (Jeune.Statut.REPERE, Jeune.Statut.ORIENTE):
            continue
        start = spec["reperage"]
        end = min(spec.get("sortie") or today, today)
        count = 1 if not spec.get("entree") else rng.randint(3, 9)
        dates = sorted(_rand_date(rng, start, end) for _ in range(count))
        for d in dates:
            entretiens.append(
                Entretien(
                    organisation=org,
                    jeune=jeune,
                    auteur=spec["referent"],
                    date=d,
                    duree_minutes=rng.choice([20, 30, 30, 45, 60]),
                    kind=_weighted(rng, kinds),
                    sujets=rng.sample(sujets, rng.randint(1, 3)),
                    notes=rng.choice(NOTES),
                    confidentielle=rng.random() < 0.05,
                    prochaines_etapes=rng.choice(NEXT_STEPS),
                )
            )
        last_contact[jeune.pk] = dates[-1]
        if not spec.get("entree"):
            continue
        for libelle in rng.sample(ETAPES, rng.randint(2, 4)):
            echeance = spec["entree"] + timedelta(days=rng.randint(15, 150))
            done = echeance <= end and rng.random() < 0.7
            etapes.append(
                EtapePlan(
                    organisation=org,
                    jeune=jeune,
                    libelle=libelle,
                    echeance=echeance,
                    fait_le=echeance - timedelta(days=rng.randint(0, 10)) if done else None,
                )
            )
        for kind in rng.sample([k for k, _ in Frein.Kind.choices], rng.randint(0, 3)):
            identifie = spec["entree"] + timedelta(days=rng.randint(0, 20))
            leve = identifie + timedelta(days=rng.randint(20, 120))
            freins.append(
                Frein(
                    organisation=org,
                    jeune=jeune,
                    kind=kind,
                    identifie_le=min(identifie, end),
                    leve_le=leve if leve <= end and rng.random() < 0.6 else None,
                )
            )
        for kind in (
            Document.Kind.PIECE_IDENTITE,
            Document.Kind.ATTESTATION_NEET,
            Document.Kind.JUSTIFICATIF_DOMICILE,
        ):
            documents.append(
                Document(organisation=org, jeune=jeune, kind=kind, vu_non_conserve=True, obtenu_le=spec["entree"])
            )
        if spec.get("sortie") and participation is not None:
            sortie = spec["sortie"]
            for months in (1, 3, 6):
                due = sortie + timedelta(days=30 * months)
                if due <= today and rng.random() < 0.8:
                    positive = spec["situation"] in [s for s, _ in POSITIVE]
                    situation = (
                        spec["situation"]
                        if rng.random() < 0.7
                        else (_weighted(rng, POSITIVE) if positive else _weighted(rng, POSITIVE + NEGATIVE))
                    )
                    suivis.append(
                        SuiviPostSortie(
                            participation=participation,
                            echeance=months,
                            date=due + timedelta(days=rng.randint(0, 10)),
                            situation=situation,
                            created_by=spec["referent"],
                        )
                    )
            documents.append(
                Document(
                    organisation=org,
                    jeune=jeune,
                    participation=participation,
                    kind=Document.Kind.PREUVE_SORTIE,
                    vu_non_conserve=True,
                    obtenu_le=sortie,
                    commentaire="Contrat de travail ou attestation d'entrée en formation vu",
                )
            )
    Entretien.objects.bulk_create(entretiens, batch_size=1000)
    EtapePlan.objects.bulk_create(etapes, batch_size=1000)
    Frein.objects.bulk_create(freins, batch_size=1000)
    Document.objects.bulk_create(documents, batch_size=1000)
    SuiviPostSortie.objects.bulk_create(suivis, batch_size=1000)
    touched = []
    for spec in specs:
        jeune = spec["jeune"]
        if jeune.pk in last_contact:
            jeune.date_dernier_contact = last_contact[jeune.pk]
            touched.append(jeune)
    Jeune.objects.for_organisation(builder.organisation).bulk_update(touched, ["date_dernier_contact"], batch_size=500)
    return len(entretiens)


def _eme_specs(ctx):
    """About EME_ENTRIES_PER_YEAR entries a year since the start of the convention (prorated for the current year),
    plus repérés who never entered."""
    rng, today = ctx.rng, ctx.today
    op = ctx.operations["EME"]
    conseillere = ctx.users["conseillere@acsrv.demo"]
    coordination = ctx.users["coordination@acsrv.demo"]
    specs = []
    entry_share = 0.8  # the rest stay repérés, contacts or accueillis
    for year in range(op.date_debut.year, min(op.date_fin.year, today.year) + 1):
        start = max(op.date_debut, date(year, 1, 15))
        end = min(date(year, 12, 31), today - timedelta(days=2))
        if end <= start:
            continue
        people = round(EME_ENTRIES_PER_YEAR / entry_share * (end - start).days / 351)
        for _ in range(people):
            specs.append(_eme_spec(ctx, _rand_date(rng, start, end), conseillere, coordination, op))
    for spec in specs[:3]:  # same-day entry and exit (not an FSE participant)
        spec.update(kind="entre", statut=Jeune.Statut.SORTI, entree=spec["reperage"], sortie=spec["reperage"])
        spec["situation"] = S.ABANDON
        spec.pop("emploi_court", None)
    return specs


def _eme_spec(ctx, reperage, conseillere, coordination, op):
    rng, today = ctx.rng, ctx.today
    age = rng.choices(range(16, 30), weights=[4, 5, 8, 9, 10, 10, 9, 8, 8, 7, 6, 6, 5, 5])[0]
    origine, partenaire = _origin(rng, ctx, ["capep", "cao59", "ml"])
    spec = {
        "reperage": reperage,
        "age": age,
        "origine": origine,
        "partenaire": partenaire,
        "referent": conseillere if rng.random() < 0.85 else coordination,
    }
    roll = rng.random()
    if roll < 0.12 or reperage > today - timedelta(days=10):
        statut = rng.choice([Jeune.Statut.REPERE, Jeune.Statut.ORIENTE, Jeune.Statut.CONTACT])
        if origine != Jeune.Origine.PARTENAIRE and statut == Jeune.Statut.ORIENTE:
            statut = Jeune.Statut.REPERE
        spec.update(kind="repere", statut=statut)
    elif roll < 0.2:
        spec.update(kind="repere", statut=Jeune.Statut.ACCUEILLI)
    else:
        entree = min(reperage + timedelta(days=rng.randint(3, 40)), today, op.date_fin)
        spec.update(kind="entre", entree=entree, statut=Jeune.Statut.EN_PARCOURS)
        sortie = entree + timedelta(days=rng.randint(60, 240))
        if sortie < today - timedelta(days=5) and rng.random() < 0.9:
            positive = rng.random() < 0.62
            spec.update(
                sortie=sortie,
                situation=_weighted(rng, POSITIVE if positive else NEGATIVE),
                statut=Jeune.Statut.SORTI,
            )
    return spec


def _noe_specs(ctx):
    """330 repérés, 162 FSE entries (+3 same-day), all out by 31/12/2018, 107 positive exits (66 %): 30 % employment,
    13 % training, 23 % dispositifs; 60 short jobs during the parcours."""
    rng = ctx.rng
    conseillere = ctx.users["conseillere@carvin.demo"]
    coordination = ctx.users["coordination@carvin.demo"]
    exits = 162
    counts = {cat: round(rate * exits) for cat, rate in NOE_EXITS.items()}  # 49 / 21 / 37 = 107 positive
    categories = [cat for cat, n in counts.items() for _ in range(n)]
    categories += [None] * (exits - len(categories))
    rng.shuffle(categories)
    short_jobs = set(rng.sample(range(exits), NOE_SHORT_JOBS))
    specs = []
    entered = 0
    for i in range(330):
        if i < 165:
            reperage = _rand_date(rng, date(2016, 1, 11), date(2018, 5, 31))
        else:
            reperage = _rand_date(rng, date(2016, 1, 11), date(2018, 11, 30))
        age = rng.choices(range(16, 26), weights=[6, 8, 12, 13, 13, 12, 11, 9, 8, 8])[0]
        origine, partenaire = _origin(rng, ctx, ["ml", "capep"])
        spec = {
            "reperage": reperage,
            "age": age,
            "origine": origine,
            "partenaire": partenaire,
            "referent": conseillere if rng.random() < 0.9 else coordination,
        }
        if i < 162:
            entree = reperage + timedelta(days=rng.randint(3, 30))
            sortie = min(entree + timedelta(days=rng.randint(120, 200)), date(2018, 12, 31))
            category = categories[entered]
            choices = [(code, w) for code, w in POSITIVE if code in CATEGORY[category]] if category else NEGATIVE
            situation = _weighted(rng, choices)
            spec["emploi_court"] = entered in short_jobs
            entered += 1
            spec.update(kind="entre", entree=entree, sortie=sortie, situation=situation, statut=Jeune.Statut.SORTI)
        elif i < 165:
            spec.update(kind="entre", entree=reperage, sortie=reperage, situation=S.ABANDON, statut=Jeune.Statut.SORTI)
        elif i < 330:
            statut = rng.choice([Jeune.Statut.REPERE, Jeune.Statut.CONTACT, Jeune.Statut.ACCUEILLI])
            spec.update(kind="repere", statut=statut)
        specs.append(spec)
    # the 3 same-day youth are also repérés: 162 + 3 + 165 = 330 repérés in total
    return specs


def seed_demo(ctx):
    ctx.extra.setdefault("communes_EME", ["Valenciennes", "Anzin", "Saint-Saulve", "Marly", "Denain", "Raismes"])
    ctx.extra.setdefault("cp_EME", "59300")
    ctx.extra.setdefault("communes_NOE", ["Carvin", "Carvin", "Carvin", "Libercourt", "Oignies", "Estevelles"])
    ctx.extra.setdefault("cp_NOE", "62220")
    for org_key, code, make_specs in (("acsrv", "EME", _eme_specs), ("carvin", "NOE", _noe_specs)):
        builder = _Builder(ctx, ctx.orgs[org_key], ctx.operations[code], code)
        specs = make_specs(ctx)
        _plan_rows(ctx, builder, specs)
        ctx.log(f"youth : {len(specs)} jeunes dans {code}.")
