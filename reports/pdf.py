"""The bilan PDF (WeasyPrint, A4): identification, EU emblem, objectives, actions, public, results, diagnostics,
horizontal principles, finance and a pseudonymised list of participants.

``render_bilan_pdf(operation, du, au, progress=None) -> bytes`` is called by the Celery task (with a progress
callback ``progress(percent, message)``) and by the ``bilan --format pdf`` command. The number of queries does
not depend on the number of participants.
"""

import logging
from datetime import date

from django.db.models import Count, Q, Sum
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from diagnostics.services import cohort_progression
from expenses.finance import period_finance
from funding.finance import budget_summary
from funding.models import Aide, AideKind, Operation
from workshops.models import Immersion, Inscription, Seance
from youth.models import Entretien


logger = logging.getLogger(__name__)


def _noop(_percent, _message):
    return None


def eu_emblem_svg(width=84):
    """Kept for callers of reports.pdf: the emblem lives in core.emblem (shared by every PDF)."""
    from core.emblem import eu_emblem_svg as draw

    return draw(width)


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


def assign_participant_numbers(operation):
    """Give every FSE participant of ``operation`` a stable pseudonymous number (P-0001…) in order of entry, once:
    the same person keeps the same id in every bilan of the operation. Three queries at most."""
    from django.db.models import Max

    from youth.models import Participation

    participations = operation.participations.all()
    missing = list(
        participations.fse()
        .filter(numero_participant__isnull=True)
        .order_by("date_entree", "pk")
        .values_list("pk", flat=True)
    )
    if not missing:
        return 0
    start = participations.aggregate(n=Max("numero_participant"))["n"] or 0
    objects = [Participation(pk=pk, numero_participant=start + i) for i, pk in enumerate(missing, start=1)]
    operation.participations.bulk_update(objects, ["numero_participant"], batch_size=1000)
    return len(objects)


def pseudonyme(numero):
    return f"P-{numero:04d}" if numero else "P-?"


def participant_rows(operation, du, au):
    """Pseudonymised participants active in [du, au] (stable P-0001… ids): entry, exit within the period, questionnaire
    complete. One query once every participant has its number."""
    from reports.indicators import CATEGORIE_PAR_SITUATION, ITEMS_QUESTIONNAIRE

    assign_participant_numbers(operation)
    rows = (
        operation.participations.all()
        .fse()
        .filter(date_entree__lte=au)
        .filter(Q(date_sortie__isnull=True) | Q(date_sortie__gte=du))
        .order_by("numero_participant", "date_entree", "pk")
        .values(
            "numero_participant",
            "date_entree",
            "date_sortie",
            "situation_sortie",
            "jeune__sexe",
            "jeune__telephone",
            "jeune__email",
            "jeune__contact_nom",
            "jeune__contact_telephone",
            "jeune__contact_email",
            *ITEMS_QUESTIONNAIRE,
        )
    )
    result = []
    for row in rows.iterator(chunk_size=2000):
        joignable = bool(
            row["jeune__telephone"]
            or row["jeune__email"]
            or (row["jeune__contact_nom"] and (row["jeune__contact_telephone"] or row["jeune__contact_email"]))
        )
        complet = joignable and all(row[item] for item in ITEMS_QUESTIONNAIRE)
        sortie = row["date_sortie"] if row["date_sortie"] and row["date_sortie"] <= au else None  # exits in P only
        result.append(
            {
                "id": pseudonyme(row["numero_participant"]),
                "sexe": row["jeune__sexe"],
                "date_entree": row["date_entree"],
                "date_sortie": sortie,
                "categorie": CATEGORIE_PAR_SITUATION.get(row["situation_sortie"], "autre") if sortie else "",
                "complet": complet,
            }
        )
    return result


def correspondence_rows(operation, du, au):
    """Pseudonymous id ↔ person, for the coordination only (the caller checks the role and scopes the operation)."""

    assign_participant_numbers(operation)
    return [
        {"id": pseudonyme(p.numero_participant), "participation": p}
        for p in operation.participations.all()
        .fse()
        .filter(date_entree__lte=au)
        .filter(Q(date_sortie__isnull=True) | Q(date_sortie__gte=du))
        .select_related("jeune")
        .order_by("numero_participant", "pk")
    ]


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


DEFAULT_TEXTS = {
    "publicite": (
        "Les participants sont informés du cofinancement européen dès l'accueil (affiche dans les locaux, mention et "
        "emblème de l'Union européenne sur le contrat d'engagement, les feuilles d'émargement et les conventions "
        "d'immersion) ; les partenaires le sont dans les comptes rendus et les supports de communication."
    ),
}
SEXES_PDF = (("F", "Femmes"), ("H", "Hommes"), ("X", "Autre"))


def _texts(operation, du, au):
    """The coordinator's texts for this bilan (reports.BilanTexte), else the operation's defaults. One query."""

    texte = operation.bilan_textes.filter(du=du, au=au).first()

    def pick(field, default_field):
        return (getattr(texte, field, "") if texte else "") or getattr(operation, default_field) or ""

    return {
        "principes_horizontaux": pick("principes_horizontaux", "texte_principes_horizontaux"),
        "publicite": pick("publicite", "texte_publicite") or DEFAULT_TEXTS["publicite"],
        "ecarts": pick("ecarts", "texte_ecarts"),
        "lieu_signature": (texte.lieu_signature if texte else "") or operation.organisation.commune,
        "date_signature": texte.date_signature if texte else None,
    }


def _indicator_rows(data, codes, labels):
    par_sexe = data["indicateurs_programme_par_sexe"]
    return [
        {
            "code": code,
            "label": labels.get(code, code),
            "total": data["indicateurs_programme"][code],
            "sexes": [par_sexe[s].get(code) for s, _ in SEXES_PDF],
        }
        for code in codes
    ]


def bilan_context(operation, du, au, progress=_noop):
    from reports import indicators, programmes

    progress(5, "Calcul des indicateurs")
    data = indicators.compute(operation, du, au)
    cumul = data if du <= operation.date_debut else indicators.compute(operation, operation.date_debut, au)
    progress(20, "Actions menées")
    actions = actions_menees(operation, du, au)
    progress(30, "Progression des diagnostics")
    progression = diagnostic_progression(operation, du, au)
    progress(40, "Budget et participants")
    finance = budget_summary(operation)
    periode_finance = period_finance(operation, du, au)
    participants = participant_rows(operation, du, au)
    texts = _texts(operation, du, au)

    from youth.models import Participation

    situations = dict(Participation.SituationSortie.choices)
    situations[indicators.SITUATION_NON_RENSEIGNEE] = "Situation non renseignée"
    entrees = data["entrees"]
    femmes = data["entrees_par_sexe"].get("F", 0)
    labels = {**indicators.LIBELLES_INDICATEURS, **programmes.LIBELLES}
    codes = list(data["indicateurs_programme"])
    realisation = [c for c in codes if "CO" in c]
    resultats = [c for c in codes if "CR" in c and c not in programmes.RESULTATS_6_MOIS]
    six_mois = [c for c in codes if c in programmes.RESULTATS_6_MOIS]
    objectifs = list(data["objectifs"].values())
    return {
        "operation": operation,
        "organisation": operation.organisation,
        "du": du,
        "au": au,
        "data": data,
        "cumul": cumul,
        "synthese": [
            ("Jeunes repérés", data["reperes"], cumul["reperes"]),
            ("Entrées", data["entrees"], cumul["entrees"]),
            ("Participants suivis", data["actifs"], cumul["actifs"]),
            ("Sorties", data["sorties"], cumul["sorties"]),
            ("Sorties positives", data["sorties_positives"], cumul["sorties_positives"]),
        ],
        "generated_at": timezone.localtime(),
        "eu_emblem": eu_emblem_svg(),
        "css_header_left": css_string(operation.organisation.nom),
        "css_header_right": css_string(f"Bilan {operation.code} — {du:%d/%m/%Y} au {au:%d/%m/%Y}"),
        "css_footer_left": css_string(data["programme"]["pied_de_page"]),
        "objectifs": objectifs,
        "ecarts_auto": [o for o in objectifs if o["taux"] < 1],
        "texts": texts,
        "sexe_age": [
            {
                "label": label,
                "bands": [data["entrees_par_sexe_et_age"][code][b] for b in indicators.AGE_BANDS],
                "total": data["entrees_par_sexe"][code],
            }
            for code, label in (("F", "Femmes"), ("H", "Hommes"), ("X", "Non binaire / autre"))
        ],
        "age_bands": list(indicators.AGE_BANDS),
        "sexes": SEXES_PDF,
        "realisation": _indicator_rows(data, realisation, labels),
        "resultats": _indicator_rows(data, resultats, labels),
        "six_mois": _indicator_rows(data, six_mois, labels),
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
        "periode_finance": periode_finance,
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
