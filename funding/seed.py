"""Demo data of the funding app: incurred amounts on the seed budgets (so execution rates show)."""

from decimal import ROUND_HALF_UP, Decimal

from funding.models import LigneBudgetaire, Objectif


# Share of the planned amount already incurred, per operation (NOE is closed; En mode emploi is under way).
EXECUTION = {"NOE": Decimal("0.97"), "EME": Decimal("0.58")}


def seed_demo(ctx):
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
