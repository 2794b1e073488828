"""Period finance of an operation, computed from the ledger (Decimal, ROUND_HALF_UP, amounts to the cent).

For a period P = [du, au] (inclusive):

- an expense counts in P when its payment date (« acquittée le ») is in P; an unpaid expense dated in P is listed
  as « non acquittée » and not counted;
- staff expenses are the ledger's ``personnel`` rows; a row tied to a time sheet carries cost × hours on the
  operation / hours worked (``expenses.models.eligible_staff_cost``);
- flat rates from what is realised: indirect costs = round(rate × realised direct staff costs) (15 % by default;
  NOE: 100 400 € → 15 060 €), or, with the 40 % option, other costs = round(40 % × staff costs) and the other
  direct costs are covered by it (listed, not added);
- eligible total = direct costs + flat rate + dépenses de tiers + contributions en nature − recettes;
- FSE due = round(eligible total × planned FSE / planned total), capped at the convention's FSE amount
  (planned FSE = the FSE resources of the operation, planned total = the budget's total eligible cost);
- advances received = FSE resources received with a date in P; balance requested = FSE due − advances received.

``period_finance`` runs a fixed number of queries (7), whatever the size of the ledger.
"""

from calendar import monthrange
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum

from expenses.models import CATEGORIE_BUDGET, DIRECT_POSTES, FeuilleTemps, Poste
from funding.finance import FORFAIT_40, indirect_costs, money, ratio
from funding.models import Ressource


ZERO = Decimal("0.00")
JSON_KEYS = (
    "depenses_directes",
    "dont_personnel",
    "couts_indirects",
    "cout_total_eligible",
    "fse_du",
    "avances_recues",
    "solde_demande",
)


def _days(du, au):
    return (au - du).days + 1


def _overlap(du, au, start, end):
    start, end = max(du, start), min(au, end)
    return _days(start, end) if end >= start else 0


def planned_for_period(operation, du, au, lignes, previsions):
    """Planned amount per direct poste for P: the yearly plan when there is one (prorated by days for a partial
    year), else the line's total spread over the convention days."""
    by_poste = {}
    yearly = {}
    for prevision in previsions:
        yearly.setdefault(prevision.poste, []).append(prevision)
    for poste in DIRECT_POSTES:
        if poste in yearly:
            total = ZERO
            for prevision in yearly[poste]:
                year_start, year_end = date(prevision.annee, 1, 1), date(prevision.annee, 12, 31)
                share = Decimal(_overlap(du, au, year_start, year_end)) / Decimal(_days(year_start, year_end))
                total += Decimal(prevision.montant_prevu) * share
            by_poste[poste] = money(total)
            continue
        planned = sum((ligne.montant_prevu for ligne in lignes if ligne.categorie == CATEGORIE_BUDGET[poste]), ZERO)
        convention = _days(operation.date_debut, operation.date_fin)
        share = Decimal(_overlap(du, au, operation.date_debut, operation.date_fin)) / Decimal(convention)
        by_poste[poste] = money(Decimal(planned) * share)
    return by_poste


def convention_amounts(operation, lignes, ressources):
    """(planned total eligible cost, planned FSE) of the convention, with the operation's flat-rate option."""
    staff = sum((ligne.montant_prevu for ligne in lignes if ligne.categorie == "personnel"), ZERO)
    direct = sum((ligne.montant_prevu for ligne in lignes), ZERO)
    if operation.forfait_40:
        total = money(staff) + indirect_costs(staff, FORFAIT_40)
    else:
        total = money(direct) + indirect_costs(staff, operation.taux_couts_indirects)
    fse = money(sum((r.montant for r in ressources if r.kind == Ressource.Kind.FSE), ZERO))
    return total, fse


def fse_due(eligible, planned_total, planned_fse):
    """eligible × planned FSE / planned total, to the cent, never above the convention's FSE amount."""
    if not planned_total:
        return ZERO
    due = (Decimal(eligible) * Decimal(planned_fse) / Decimal(planned_total)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return max(ZERO, min(due, money(planned_fse)))


def period_finance(operation, du, au):
    """Everything the finance block of a bilan shows (web page, PDF, ``bilan --format json``)."""
    paid = Q(date_paiement__gte=du, date_paiement__lte=au)
    unpaid = Q(date_paiement__isnull=True, date__gte=du, date__lte=au)
    # The caller fetched ``operation`` in scope: its rows are read through its related managers.
    rows = (
        operation.depenses.values("poste")
        .annotate(
            realise=Sum("montant", filter=paid),
            n=Count("pk", filter=paid),
            non_acquittees=Count("pk", filter=unpaid),
            montant_non_acquitte=Sum("montant", filter=unpaid),
            sans_justificatif=Count("pk", filter=paid & Q(justificatif="")),
        )
        .order_by("poste")
    )
    by_poste = {row["poste"]: row for row in rows}
    lignes = list(operation.lignes_budgetaires.all())
    ressources = list(operation.ressources.all())
    previsions = list(operation.previsions.all())
    planned = planned_for_period(operation, du, au, lignes, previsions)
    planned_total, planned_fse = convention_amounts(operation, lignes, ressources)

    def realised(poste):
        return money((by_poste.get(poste) or {}).get("realise"))

    postes = []
    for code, label in Poste.choices:
        row = by_poste.get(code) or {}
        prevu = planned.get(code)
        postes.append(
            {
                "code": code,
                "label": label,
                "direct": code in DIRECT_POSTES,
                "prevu": prevu,
                "realise": realised(code),
                "taux_execution": ratio(realised(code), prevu) if prevu is not None else None,
                "n": row.get("n") or 0,
                "non_acquittees": row.get("non_acquittees") or 0,
                "montant_non_acquitte": money(row.get("montant_non_acquitte")),
                "sans_justificatif": row.get("sans_justificatif") or 0,
            }
        )
    staff = realised(Poste.PERSONNEL)
    other_direct = sum((realised(p) for p in DIRECT_POSTES if p != Poste.PERSONNEL), ZERO)
    if operation.forfait_40:
        direct = staff
        flat = indirect_costs(staff, FORFAIT_40)
        flat_rate = FORFAIT_40
    else:
        direct = staff + other_direct
        flat_rate = Decimal(operation.taux_couts_indirects or 0)
        flat = indirect_costs(staff, flat_rate)
    total = direct + flat + realised(Poste.TIERS) + realised(Poste.NATURE) - realised(Poste.RECETTES)
    due = fse_due(total, planned_total, planned_fse)
    advances = money(
        operation.ressources_recues.filter(fse=True, date_reception__gte=du, date_reception__lte=au).aggregate(
            s=Sum("montant")
        )["s"]
    )
    alerts = staff_alerts(operation, du, au)
    return {
        "du": du,
        "au": au,
        "postes": postes,
        "forfait_40": operation.forfait_40,
        "taux_forfait": flat_rate,
        "autres_directes_couvertes": other_direct if operation.forfait_40 else ZERO,
        "depenses_directes": direct,
        "dont_personnel": staff,
        "couts_indirects": flat,
        "cout_total_eligible": total,
        "cout_total_prevu": planned_total,
        "fse_convention": planned_fse,
        "taux_cofinancement": ratio(planned_fse, planned_total),
        "fse_du": due,
        "avances_recues": advances,
        "solde_demande": due - advances,
        "non_acquittees": sum(p["non_acquittees"] for p in postes),
        "montant_non_acquitte": money(sum((p["montant_non_acquitte"] for p in postes), ZERO)),
        "sans_justificatif": sum(p["sans_justificatif"] for p in postes),
        "alertes_temps": alerts,
    }


def finance_json(finance):
    """The ``finance`` key of ``bilan --format json``: amounts as strings with two decimals."""
    return {key: f"{money(finance[key]):.2f}" for key in JSON_KEYS}


def month_starts(du, au):
    current = date(du.year, du.month, 1)
    while current <= au:
        yield current
        current = date(current.year + (current.month == 12), current.month % 12 + 1, 1)


def month_end(month):
    return date(month.year, month.month, monthrange(month.year, month.month)[1])


def staff_alerts(operation, du, au):
    """Time sheets over 100 % and months without a sheet for each assigned staff member, within P. Two queries."""
    salaries = list(operation.salaries.all())
    sheets = list(
        FeuilleTemps.objects.for_organisation(operation.organisation_id)
        .filter(salarie__operation=operation, mois__gte=date(du.year, du.month, 1), mois__lte=au)
        .select_related("salarie")
        .order_by("salarie__nom", "mois")
    )
    have = {(s.salarie_id, s.mois) for s in sheets}
    depassements = [{"salarie": s.salarie.nom, "mois": s.mois, "part": s.part} for s in sheets if s.depasse]
    manquantes = []
    for salarie in salaries:
        start = max(du, salarie.date_debut)
        end = min(au, salarie.date_fin or au)
        for month in month_starts(start, end) if end >= start else ():
            if (salarie.pk, month) not in have:
                manquantes.append({"salarie": salarie.nom, "mois": month})
    return {"depassements": depassements, "manquantes": manquantes}


def staff_table(operation, du, au):
    """Per staff member and month: hours, share, monthly cost, eligible cost, flags. One query for the sheets."""
    sheets = list(
        FeuilleTemps.objects.for_organisation(operation.organisation_id)
        .filter(salarie__operation=operation, mois__gte=date(du.year, du.month, 1), mois__lte=au)
        .select_related("salarie")
        .order_by("salarie__nom", "mois")
    )
    salaries = list(operation.salaries.all())
    by_salarie = {s.pk: {"salarie": s, "feuilles": [], "total": ZERO, "manquantes": []} for s in salaries}
    for sheet in sheets:
        entry = by_salarie[sheet.salarie_id]
        entry["feuilles"].append(sheet)
        entry["total"] += sheet.cout_eligible
    for entry in by_salarie.values():
        salarie = entry["salarie"]
        have = {s.mois for s in entry["feuilles"]}
        start, end = max(du, salarie.date_debut), min(au, salarie.date_fin or au)
        entry["manquantes"] = [m for m in month_starts(start, end) if m not in have] if end >= start else []
    return list(by_salarie.values())
