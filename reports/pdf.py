"""The bilan PDF (WeasyPrint, A4): identification, EU emblem, objectives, actions, public, results, diagnostics,
horizontal principles, finance and a pseudonymised list of participants.

``render_bilan_pdf(operation, du, au, progress=None) -> bytes`` is called by the Celery task (with a progress
callback ``progress(percent, message)``) and by the ``bilan --format pdf`` command. The number of queries does
not depend on the number of participants.
"""

import logging
import math
from datetime import date

from django.db.models import Count, Q, Sum
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from diagnostics.services import cohort_progression
from funding.finance import budget_summary
from funding.models import Aide, AideKind, Operation
from workshops.models import Immersion, Inscription, Seance
from youth.models import Entretien


logger = logging.getLogger(__name__)


def _noop(_percent, _message):
    return None


def eu_emblem_svg(width=84):
    """The European flag drawn in SVG: 12 five-pointed gold stars on a circle over a blue field (ratio 3:2)."""
    height = width * 2 / 3
    cx, cy = width / 2, height / 2
    ring = height / 3  # circle radius: 1/3 of the height
    outer = height / 18  # star radius: 1/18 of the height
    inner = outer * 0.382
    stars = []
    for k in range(12):
        angle = 2 * math.pi * k / 12
        sx, sy = cx + ring * math.sin(angle), cy - ring * math.cos(angle)
        points = []
        for i in range(10):
            r = outer if i % 2 == 0 else inner
            a = math.pi * i / 5
            points.append(f"{sx + r * math.sin(a):.2f},{sy - r * math.cos(a):.2f}")
        stars.append(f'<polygon points="{" ".join(points)}" fill="#FFDD00"/>')
    return mark_safe(  # noqa: S308 - built from numbers only
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height:.0f}" '
        f'viewBox="0 0 {width} {height:.2f}" role="img" aria-label="Drapeau de l\'Union européenne">'
        f'<rect width="{width}" height="{height:.2f}" fill="#003399"/>{"".join(stars)}</svg>'
    )


def actions_menees(operation, du, au):
    """Counts of the actions carried out in [du, au], read in the operation's organisation (plain imports: a bilan
    sent to a funder never loses a section silently)."""
    blocks = {}
    in_period = {"gte": du, "lte": au}
    organisation = operation.organisation_id

    def period(field):
        return {f"{field}__{k}": v for k, v in in_period.items()}

    blocks["entretiens"] = (
        Entretien.objects.for_organisation(organisation)
        .filter(jeune__participations__operation=operation, **period("date"))
        .aggregate(n=Count("pk"), jeunes=Count("jeune", distinct=True))
    )
    seances = Seance.objects.for_organisation(organisation).filter(atelier__operation=operation, **period("date"))
    presents = Inscription.objects.for_organisation(organisation).filter(
        seance__atelier__operation=operation, presence="present", **period("seance__date")
    )
    femmes = Q(seance__atelier__public="femmes") | Q(seance__public="femmes")
    blocks["ateliers"] = {
        **seances.aggregate(
            seances=Count("pk"),
            ateliers=Count("atelier", distinct=True),
            seances_femmes=Count("pk", filter=Q(atelier__public="femmes") | Q(public="femmes")),
        ),
        **presents.aggregate(
            presences=Count("pk"),
            jeunes=Count("jeune", distinct=True),
            presences_femmes=Count("pk", filter=femmes),
            jeunes_femmes=Count("jeune", distinct=True, filter=femmes),
        ),
    }
    blocks["immersions"] = (
        Immersion.objects.for_organisation(organisation)
        .filter(annulee=False, jeune__participations__operation=operation, **period("date_debut"))
        .aggregate(n=Count("pk"), jeunes=Count("jeune", distinct=True), entreprises=Count("entreprise", distinct=True))
    )
    rows = (
        Aide.objects.for_organisation(organisation)
        .filter(participation__operation=operation, **period("date_attribution"))
        .values("kind")
        .annotate(n=Count("pk"), montant=Sum("montant"), obtenus=Count("pk", filter=Q(permis_obtenu=True)))
        .order_by("kind")
    )
    labels = dict(AideKind.choices)
    blocks["aides"] = [
        {
            "kind": r["kind"],
            "label": labels.get(r["kind"], r["kind"]),
            **{k: r[k] for k in ("n", "montant", "obtenus")},
        }
        for r in rows
    ]
    return blocks


def diagnostic_progression(operation, du, au):
    result = cohort_progression(operation, du, au)  # a failure fails the job, which says why and can be relaunched
    if not result or not result.get("axes"):
        return None
    return {**result, "svg": mark_safe(result.get("svg") or "")}  # noqa: S308 - SVG built by diagnostics.radar


def participant_rows(operation, du, au):
    """Pseudonymised participants active in [du, au] (P-0001…): entry, exit, questionnaire complete. One query."""
    from reports.indicators import ITEMS_QUESTIONNAIRE

    rows = (
        operation.participations.all()
        .fse()
        .filter(date_entree__lte=au)
        .filter(Q(date_sortie__isnull=True) | Q(date_sortie__gte=du))
        .order_by("date_entree", "pk")
        .values(
            "date_entree",
            "date_sortie",
            "situation_sortie",
            "age_entree",
            "jeune__sexe",
            "jeune__telephone",
            "jeune__email",
            "jeune__contact_nom",
            *ITEMS_QUESTIONNAIRE,
        )
    )
    from reports.indicators import CATEGORIE_PAR_SITUATION

    result = []
    for index, row in enumerate(rows.iterator(chunk_size=2000), start=1):
        joignable = bool(row["jeune__telephone"] or row["jeune__email"] or row["jeune__contact_nom"])
        complet = joignable and all(row[item] for item in ITEMS_QUESTIONNAIRE)
        result.append(
            {
                "id": f"P-{index:04d}",
                "sexe": row["jeune__sexe"],
                "date_entree": row["date_entree"],
                "date_sortie": row["date_sortie"],
                "categorie": CATEGORIE_PAR_SITUATION.get(
                    row["situation_sortie"], "autre" if row["date_sortie"] else ""
                ),
                "complet": complet,
            }
        )
    return result


LISTING_ENTRY = "{id:<7} {sexe:<4} {entree:<10} {sortie:<10} {categorie:<11} {complet:<7}"
LISTING_GAP = "   │   "
LISTING_HEADER_ENTRY = LISTING_ENTRY.format(
    id="Ident.", sexe="Sexe", entree="Entrée", sortie="Sortie", categorie="Sortie vers", complet="Complet"
)
LISTING_HEADER = LISTING_HEADER_ENTRY + LISTING_GAP + LISTING_HEADER_ENTRY


def participant_listing(rows):
    """The appendix as fixed-width lines, two participants per line (read line by line).

    WeasyPrint lays out one short block per line far faster than table cells or one long text: 5 000 participants
    stay within the time budget of bench/bilan_pdf.py.
    """
    entries = [
        LISTING_ENTRY.format(
            id=row["id"],
            sexe=row["sexe"],
            entree=f"{row['date_entree']:%d/%m/%Y}",
            sortie=f"{row['date_sortie']:%d/%m/%Y}" if row["date_sortie"] else "—",
            categorie=row["categorie"] or "—",
            complet="oui" if row["complet"] else "non",
        )
        for row in rows
    ]
    return [
        entries[i] + (LISTING_GAP + entries[i + 1] if i + 1 < len(entries) else "") for i in range(0, len(entries), 2)
    ]


def css_string(text):
    """A CSS string literal (for @page margin boxes), safe inside <style>."""
    escaped = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ").replace("\n", " ")
    return mark_safe(f'"{escaped}"')  # noqa: S308 - escaped above


def bilan_context(operation, du, au, progress=_noop):
    from reports import indicators

    progress(5, "Calcul des indicateurs")
    data = indicators.compute(operation, du, au)
    progress(20, "Actions menées")
    actions = actions_menees(operation, du, au)
    progress(30, "Progression des diagnostics")
    progression = diagnostic_progression(operation, du, au)
    progress(40, "Budget et participants")
    finance = budget_summary(operation)
    participants = participant_rows(operation, du, au)

    from youth.models import Participation

    situations = dict(Participation.SituationSortie.choices)
    situations[indicators.SITUATION_NON_RENSEIGNEE] = "Situation non renseignée"
    entrees = data["entrees"]
    femmes = data["entrees_par_sexe"].get("F", 0)
    return {
        "operation": operation,
        "du": du,
        "au": au,
        "data": data,
        "generated_at": timezone.localtime(),
        "eu_emblem": eu_emblem_svg(),
        "css_header_left": css_string(operation.organisation.nom),
        "css_header_right": css_string(f"Bilan {operation.code} — {du:%d/%m/%Y} au {au:%d/%m/%Y}"),
        "objectifs": list(data["objectifs"].values()),
        "sexe_age": [
            {
                "label": label,
                "bands": [data["entrees_par_sexe_et_age"][code][b] for b in indicators.AGE_BANDS],
                "total": data["entrees_par_sexe"][code],
            }
            for code, label in (("F", "Femmes"), ("H", "Hommes"), ("X", "Non binaire / autre"))
        ],
        "age_bands": list(indicators.AGE_BANDS),
        "indicateurs": [
            {
                "code": code,
                "label": indicators.LIBELLES_INDICATEURS.get(code, code),
                "total": value,
                "F": data["indicateurs_par_sexe"]["F"].get(code, 0),
                "H": data["indicateurs_par_sexe"]["H"].get(code, 0),
                "X": data["indicateurs_par_sexe"]["X"].get(code, 0),
            }
            for code, value in data["indicateurs"].items()
        ],
        "categories": [
            {"label": indicators.LIBELLES_CATEGORIES.get(c, c), "n": n, "taux": data["taux_par_categorie"].get(c, 0)}
            for c, n in data["sorties_par_categorie"].items()
        ],
        "situations": [
            {"label": situations.get(code, code), "n": n} for code, n in data["sorties_par_situation"].items() if n
        ],
        "part_femmes": round(femmes / entrees, 4) if entrees else None,
        "actions": actions,
        "progression": progression,
        "finance": finance,
        "participants": participants,
        "listing_header": LISTING_HEADER,
        "listing": participant_listing(participants),
        "participants_complets": sum(1 for p in participants if p["complet"]),
    }


def render_bilan_html(operation, du, au, progress=_noop):
    return render_to_string("reports/pdf/bilan.html", bilan_context(operation, du, au, progress))


def render_bilan_pdf(operation, du, au, progress=None) -> bytes:
    """The bilan of ``operation`` for [du, au] as PDF bytes. ``operation`` must already be scoped by the caller."""
    from weasyprint import HTML

    progress = progress or _noop
    if isinstance(operation, str):
        operation = Operation.objects.get(code=operation)
    if isinstance(du, str):
        du = date.fromisoformat(du)
    if isinstance(au, str):
        au = date.fromisoformat(au)
    html = render_bilan_html(operation, du, au, progress)
    progress(55, "Mise en page du document")
    document = HTML(string=html, base_url=None).render()
    progress(90, f"Écriture du PDF ({len(document.pages)} pages)")
    pdf = document.write_pdf()
    progress(95, "PDF généré")
    return pdf
