"""Budget arithmetic of an operation (Decimal, ROUND_HALF_UP), shared by the funding pages and the bilan PDF.

- indirect costs = round(rate × direct staff costs, 2) (NOE: 15 % × 100 400 € = 15 060 €);
- total eligible = direct costs + indirect costs (NOE: 113 600 + 15 060 = 128 660 €);
- cofinancing rate = FSE / total eligible (En mode emploi: 603 645 / 1 006 076 = 60,00 %).

Rates are Decimal ratios with 4 decimals (0.6000 → « 60,00 % » with the ``pourcent`` filter).
"""

from decimal import ROUND_HALF_UP, Decimal

from funding.models import LigneBudgetaire, Ressource


CENTS = Decimal("0.01")
RATE = Decimal("0.0001")
ZERO = Decimal("0.00")
FORFAIT_40 = Decimal("0.40")


def money(value):
    return Decimal(value or 0).quantize(CENTS, rounding=ROUND_HALF_UP)


def ratio(numerator, denominator):
    """numerator / denominator rounded to 4 decimals (None when the denominator is 0)."""
    denominator = Decimal(denominator or 0)
    if not denominator:
        return None
    return (Decimal(numerator or 0) / denominator).quantize(RATE, rounding=ROUND_HALF_UP)


def indirect_costs(staff_costs, rate):
    return money(Decimal(staff_costs or 0) * Decimal(rate or 0))


def budget_summary(operation, lignes=None, ressources=None):
    """Everything the budget tables show, computed from already-fetched rows (no query if both are given)."""
    if lignes is None:
        lignes = list(operation.lignes_budgetaires.order_by("categorie", "libelle", "pk"))
    if ressources is None:
        ressources = list(operation.ressources.order_by("kind", "financeur", "pk"))
    forfait_40 = bool(getattr(operation, "forfait_40", False))
    # Art. 56 option: 40 % of staff costs cover every other cost (the other direct lines are then not added).
    rate = FORFAIT_40 if forfait_40 else Decimal(operation.taux_couts_indirects or 0)

    categories = []
    for code, label in LigneBudgetaire.Categorie.choices:
        rows = [ligne for ligne in lignes if ligne.categorie == code]
        prevu = money(sum((ligne.montant_prevu for ligne in rows), ZERO))
        realise = money(sum((ligne.montant_realise for ligne in rows), ZERO))
        categories.append(
            {
                "code": code,
                "label": label,
                "lignes": [
                    {
                        "ligne": ligne,
                        "libelle": ligne.libelle,
                        "prevu": money(ligne.montant_prevu),
                        "realise": money(ligne.montant_realise),
                        "taux_execution": ratio(ligne.montant_realise, ligne.montant_prevu),
                    }
                    for ligne in rows
                ],
                "prevu": prevu,
                "realise": realise,
                "taux_execution": ratio(realise, prevu),
            }
        )
    by_code = {c["code"]: c for c in categories}
    direct_prevu = money(sum((c["prevu"] for c in categories), ZERO))
    direct_realise = money(sum((c["realise"] for c in categories), ZERO))
    staff_prevu = by_code[LigneBudgetaire.Categorie.PERSONNEL]["prevu"]
    staff_realise = by_code[LigneBudgetaire.Categorie.PERSONNEL]["realise"]
    indirect_prevu = indirect_costs(staff_prevu, rate)
    indirect_realise = indirect_costs(staff_realise, rate)
    total_prevu = (staff_prevu if forfait_40 else direct_prevu) + indirect_prevu
    total_realise = (staff_realise if forfait_40 else direct_realise) + indirect_realise
    for category in categories:
        category["part"] = ratio(category["prevu"], total_prevu)

    resource_rows = []
    for ressource in ressources:
        resource_rows.append(
            {
                "ressource": ressource,
                "kind": ressource.kind,
                "label": ressource.get_kind_display(),
                "financeur": ressource.financeur,
                "montant": money(ressource.montant),
                "part": ratio(ressource.montant, total_prevu),
            }
        )
    total_ressources = money(sum((r["montant"] for r in resource_rows), ZERO))
    fse = money(sum((r["montant"] for r in resource_rows if r["kind"] == Ressource.Kind.FSE), ZERO))
    return {
        "categories": [c for c in categories if c["lignes"]],
        "taux_couts_indirects": rate,
        "forfait_40": forfait_40,
        "base_personnel_prevu": staff_prevu,
        "base_personnel_realise": staff_realise,
        "direct_prevu": direct_prevu,
        "direct_realise": direct_realise,
        "indirect_prevu": indirect_prevu,
        "indirect_realise": indirect_realise,
        "total_prevu": total_prevu,
        "total_realise": total_realise,
        "taux_execution": ratio(total_realise, total_prevu),
        "part_direct": ratio(direct_prevu, total_prevu),
        "part_indirect": ratio(indirect_prevu, total_prevu),
        "ressources": resource_rows,
        "total_ressources": total_ressources,
        "fse": fse,
        "taux_cofinancement": ratio(fse, total_prevu),
        "ecart_ressources": total_ressources - total_prevu,
    }
