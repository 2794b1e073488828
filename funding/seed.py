"""Demo data of the funding app: incurred amounts on the seed budgets (so execution rates show)."""

from decimal import ROUND_HALF_UP, Decimal

from funding.models import LigneBudgetaire, Objectif, Operation


# Identification and signatory of the demo operations (fake people and addresses).
IDENTIFICATION = {
    "EME": {
        "adresse_beneficiaire": "12 rue de la Demo, 59300 Valenciennes",
        "representant_legal_nom": "Dominique Exemple",
        "representant_legal_qualite": "président de l'ACSRV",
        "priorite": "Priorité 3 — Favoriser l'inclusion sociale et l'accès à l'emploi des jeunes",
        "objectif_specifique": "ESO4.1 — Améliorer l'accès à l'emploi des jeunes (art. 4, § 1, point a)",
        "texte_publicite": (
            "Affiche « Cofinancé par l'Union européenne » à l'accueil et dans la salle des ateliers ; emblème de "
            "l'Union sur le contrat d'engagement, les feuilles d'émargement et les conventions d'immersion ; "
            "mention du FSE+ lors de l'information collective d'entrée et dans les comptes rendus aux partenaires."
        ),
        "texte_principes_horizontaux": (
            "Égalité entre les femmes et les hommes : le groupe Les Z'ELLES réunit chaque année des jeunes femmes "
            "autour de la confiance en soi et des métiers peu féminisés. Égalité des chances et non-discrimination : "
            "accompagnement gratuit, sans condition de diplôme, aides matérielles (permis AM, vêture, transport). "
            "Accessibilité : locaux de plain-pied, rendez-vous à domicile si besoin. Développement durable : "
            "transports en commun privilégiés, supports dématérialisés."
        ),
    },
    "NOE": {
        "adresse_beneficiaire": "1 place de la Demo, 62220 Carvin",
        "representant_legal_nom": "Camille Exemple",
        "representant_legal_qualite": "vice-présidente du CCAS de Carvin",
        "priorite": "Axe 1 — Accompagner les jeunes NEET vers et dans l'emploi (PON IEJ)",
        "objectif_specifique": "OS 1 — Augmenter l'insertion durable dans l'emploi des jeunes NEET",
        "texte_publicite": (
            "Affiche FSE / IEJ dans les locaux du CCAS ; emblème de l'Union européenne et mention du Fonds social "
            "européen et de l'Initiative pour l'emploi des jeunes sur les contrats d'engagement, les feuilles "
            "d'émargement et les courriers aux entreprises bienveillantes."
        ),
        "texte_principes_horizontaux": (
            "Égalité entre les femmes et les hommes : ateliers mixtes, métiers présentés hors des représentations "
            "genrées. Égalité des chances : repérage en aller-vers dans les quartiers prioritaires, accompagnement "
            "gratuit sans condition de diplôme. Accessibilité : accueil de plain-pied au CCAS. Développement "
            "durable : covoiturage et transports en commun vers les entreprises bienveillantes."
        ),
        "texte_ecarts": (
            "Le repérage dépasse l'objectif (aller-vers renforcé dans les quartiers) ; les entrées sont conformes au "
            "prévu. Les sorties vers l'emploi sont restées majoritairement en contrats courts."
        ),
    },
}

# Share of the planned amount already incurred, per operation (NOE is closed; En mode emploi is under way).
EXECUTION = {"NOE": Decimal("0.97"), "EME": Decimal("0.58")}


def seed_demo(ctx):
    for code, fields in IDENTIFICATION.items():
        Operation.objects.for_platform().filter(code=code).update(**fields)
    lines = list(
        LigneBudgetaire.objects.for_platform()
        .filter(operation__code__in=EXECUTION, montant_realise=0)
        .select_related("operation")
    )
    for index, line in enumerate(lines):
        rate = EXECUTION[line.operation.code] - Decimal(index % 3) / 100
        line.montant_realise = (line.montant_prevu * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    LigneBudgetaire.objects.for_platform().bulk_update(lines, ["montant_realise"])
    eme = ctx.operations["EME"]
    yearly = [
        Objectif(operation=eme, indicateur=indicateur, annee=year, cible=cible)
        for year in range(eme.date_debut.year, eme.date_fin.year + 1)
        for indicateur, cible in (("entrees", 150), ("sorties_positives", 60), ("permis_am", 15))
    ]
    Objectif.objects.bulk_create(yearly, ignore_conflicts=True)
    ctx.log(f"Financements : {len(lines)} lignes budgétaires réalisées, objectifs annuels d'En mode emploi.")
