"""Reading evaluations: axis scores, per-person progression, cohort progression. Bounded queries, no writes.

An axis score is the mean of the *answered* items of that axis in one evaluation (None when none is answered).
Axes are matched across questionnaire versions by their label, so an entry evaluation answered with v1 and an
exit one answered with v2 still compare on the axes they share.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from diagnostics.models import Evaluation, Item, Reponse
from diagnostics.radar import Series, radar_svg


@dataclass
class AxeScore:
    libelle: str
    moyenne: float | None
    repondus: int
    total: int
    items: list = field(default_factory=list)  # [(item, score or None, commentaire)] when detailed
    entree: float | None = None  # the entry score of the same axis, when compared


@dataclass
class Resultat:
    evaluation: Evaluation
    axes: list  # [AxeScore] in the order of the evaluation's version

    def by_label(self):
        return {axe.libelle: axe.moyenne for axe in self.axes}


def mean(values):
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def structures(version_ids):
    """{version_id: [(axe, [item, …]), …]} in display order — one query."""
    result = defaultdict(list)
    current = {}
    items = Item.objects.filter(axe__version_id__in=set(version_ids)).select_related("axe")
    for item in items.order_by("axe__version_id", "axe__ordre", "ordre"):
        axe = item.axe
        key = (axe.version_id, axe.pk)
        if key not in current:
            current[key] = []
            result[axe.version_id].append((axe, current[key]))
        current[key].append(item)
    return dict(result)


def answers(evaluations):
    """{evaluation_id: {item_id: (score, commentaire)}} for already-scoped evaluations — one query."""
    result = defaultdict(dict)
    evaluations = list(evaluations)
    organisation_ids = {evaluation.organisation_id for evaluation in evaluations}
    if len(organisation_ids) != 1:
        return result
    rows = (
        Reponse.objects.for_organisation(organisation_ids.pop())
        .filter(evaluation__in=evaluations)
        .values_list("evaluation_id", "item_id", "score", "commentaire")
    )
    for evaluation_id, item_id, score, commentaire in rows:
        result[evaluation_id][item_id] = (score, commentaire)
    return result


def score_axes(structure, answered, detailed=False):
    """Axis scores of one evaluation from its version ``structure`` and its ``answered`` {item_id: (score, com)}."""
    scores = []
    for axe, items in structure:
        values = [answered.get(item.pk, (None, ""))[0] for item in items]
        axe_score = AxeScore(
            libelle=axe.libelle,
            moyenne=mean(values),
            repondus=sum(v is not None for v in values),
            total=len(items),
        )
        if detailed:
            axe_score.items = [(item, *answered.get(item.pk, (None, ""))) for item in items]
        scores.append(axe_score)
    return scores


def resultats(evaluations, detailed=False):
    """[Resultat] for ``evaluations`` (their ``version`` already loaded): two queries whatever their number."""
    evaluations = list(evaluations)
    if not evaluations:
        return []
    struct = structures(e.version_id for e in evaluations)
    answered = answers(evaluations)
    return [
        Resultat(e, score_axes(struct.get(e.version_id, []), answered.get(e.pk, {}), detailed=detailed))
        for e in evaluations
    ]


def union_labels(resultats_list):
    """Axis labels in display order: the most recent evaluation's order first, then labels only older ones have."""
    labels = []
    for res in sorted(resultats_list, key=lambda r: (r.evaluation.version.numero, r.evaluation.date), reverse=True):
        for axe in res.axes:
            if axe.libelle not in labels:
                labels.append(axe.libelle)
    return labels


def pick_moments(resultats_list):
    """Entry (first ``entree``), exit (last ``sortie``) and latest (most recent, if neither of the other two)."""
    ordered = sorted(resultats_list, key=lambda r: (r.evaluation.date, r.evaluation.pk))
    entree = next((r for r in ordered if r.evaluation.type == Evaluation.Type.ENTREE), None)
    sortie = next((r for r in reversed(ordered) if r.evaluation.type == Evaluation.Type.SORTIE), None)
    derniere = ordered[-1] if ordered else None
    if derniere is entree or derniere is sortie:
        derniere = None
    return entree, derniere, sortie


@dataclass
class Progression:
    """One young person × one questionnaire: entry / latest / exit per axis, deltas, and the radar."""

    questionnaire: object
    evaluations: list  # [Resultat] most recent first
    labels: list
    entree: Resultat | None
    derniere: Resultat | None
    sortie: Resultat | None
    lignes: list  # [{"libelle", "entree", "derniere", "sortie", "delta"}]
    svg: str


def progression(questionnaire, resultats_list, uid="radar"):
    entree, derniere, sortie = pick_moments(resultats_list)
    labels = union_labels(resultats_list)
    moments = [
        ("entree", "Entrée", entree),
        ("derniere", "Dernière évaluation", derniere),
        ("sortie", "Sortie", sortie),
    ]
    lookup = {key: (res.by_label() if res else {}) for key, _, res in moments}
    lignes = []
    for label in labels:
        ligne = {"libelle": label, **{key: lookup[key].get(label) for key, _, _ in moments}}
        end = ligne["sortie"] if ligne["sortie"] is not None else ligne["derniere"]
        ligne["delta"] = None if end is None or ligne["entree"] is None else round(end - ligne["entree"], 2)
        lignes.append(ligne)
    series = [
        Series(key, f"{name} ({res.evaluation.date:%d/%m/%Y})", tuple(lookup[key].get(label) for label in labels))
        for key, name, res in moments
        if res is not None
    ]
    version = (sortie or derniere or entree).evaluation.version
    svg = radar_svg(
        labels,
        series,
        lo=version.echelle_min,
        hi=version.echelle_max,
        title=f"{questionnaire.titre} : radar {', '.join(s.label for s in series)}",
        uid=uid,
    )
    ordered = sorted(resultats_list, key=lambda r: (r.evaluation.date, r.evaluation.pk), reverse=True)
    return Progression(questionnaire, ordered, labels, entree, derniere, sortie, lignes, svg)


def progressions_for_jeune(evaluations_qs, uid_prefix="radar"):
    """[Progression] per questionnaire for the evaluations of one young person (already scoped). 3 queries."""
    evaluations = list(evaluations_qs.select_related("version__questionnaire", "evaluateur"))
    by_questionnaire = defaultdict(list)
    for res in resultats(evaluations):
        by_questionnaire[res.evaluation.version.questionnaire].append(res)
    ordered = sorted(by_questionnaire.items(), key=lambda kv: (kv[0].kind != "socio_pro", kv[0].titre))
    return [progression(q, results, uid=f"{uid_prefix}-{q.pk}") for q, results in ordered]


def single_radar(resultat, uid="radar", entree=None):
    """Radar of one evaluation (the evaluation page and its printable sheet), over the entry one if given.

    The entry values are matched by axis label (the two evaluations may use different versions).
    """
    evaluation = resultat.evaluation
    key = {"entree": "entree", "sortie": "sortie"}.get(evaluation.type, "derniere")
    labels = [axe.libelle for axe in resultat.axes]
    serie = Series(
        key, f"{evaluation.get_type_display()} ({evaluation.date:%d/%m/%Y})", tuple(a.moyenne for a in resultat.axes)
    )
    series = [serie]
    if entree is not None:
        start = entree.by_label()
        label = f"Entrée ({entree.evaluation.date:%d/%m/%Y})"
        series.insert(0, Series("entree", label, tuple(start.get(libelle) for libelle in labels)))
    return radar_svg(
        labels,
        series,
        lo=evaluation.version.echelle_min,
        hi=evaluation.version.echelle_max,
        title=f"{evaluation.version.questionnaire.titre} : {', '.join(s.label for s in series)}",
        uid=uid,
    )
