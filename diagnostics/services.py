"""Writes (questionnaires, versions, evaluations) and the cohort progression read by the bilan."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from simple_history.utils import bulk_create_with_history

from diagnostics.models import Axe, Evaluation, Item, Questionnaire, QuestionnaireVersion, Reponse
from diagnostics.questionnaires import DEFAULTS
from diagnostics.radar import Series, radar_svg
from diagnostics.scoring import mean, resultats


MAX_AXE_LENGTH = Axe._meta.get_field("libelle").max_length
MAX_ITEM_LENGTH = Item._meta.get_field("libelle").max_length
ITEM_PREFIXES = ("-", "•", "*")


# --- Questionnaire structure as editable text -----------------------------------------------------------------


def structure_to_text(structure):
    """``[(axe, [items])]`` (objects or strings) → the text edited in the new-version form."""
    blocks = []
    for axe, items in structure:
        lines = [str(getattr(axe, "libelle", axe))]
        lines += [f"- {getattr(item, 'libelle', item)}" for item in items]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def structure_parse(text):
    """Text → ``[(axe, [items])]``. A line starting with « - » is an item of the axis above it; other lines are axes.

    Raises ValidationError with one French message per problem.
    """
    structure, errors = [], []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith(ITEM_PREFIXES):
            label = line.lstrip("".join(ITEM_PREFIXES)).strip()
            if not label:
                errors.append(f"Ligne {number} : item sans libellé.")
            elif not structure:
                errors.append(f"Ligne {number} : l'item « {label} » doit suivre un axe.")
            elif len(label) > MAX_ITEM_LENGTH:
                errors.append(f"Ligne {number} : libellé d'item trop long ({MAX_ITEM_LENGTH} caractères au plus).")
            else:
                structure[-1][1].append(label)
        else:
            label = line.rstrip(":").strip()
            if len(label) > MAX_AXE_LENGTH:
                errors.append(f"Ligne {number} : libellé d'axe trop long ({MAX_AXE_LENGTH} caractères au plus).")
            elif any(existing.casefold() == label.casefold() for existing, _ in structure):
                errors.append(f"Ligne {number} : l'axe « {label} » apparaît deux fois.")
            else:
                structure.append((label, []))
    for label, items in structure:
        if not items:
            errors.append(f"L'axe « {label} » n'a aucun item (un item commence par « - »).")
    if not structure and not errors:
        errors.append("Le questionnaire doit avoir au moins un axe et un item.")
    if errors:
        raise ValidationError(errors)
    return structure


# --- Writes ---------------------------------------------------------------------------------------------------


def _version_build(
    *, questionnaire, numero, structure, user=None, echelle_min=0, echelle_max=4, echelle_aide=None, note=""
):
    extra = {} if echelle_aide is None else {"echelle_aide": echelle_aide}
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        numero=numero,
        echelle_min=echelle_min,
        echelle_max=echelle_max,
        note=note,
        publiee_par=user,
        **extra,
    )
    axes = bulk_create_with_history(
        [Axe(version=version, ordre=n, libelle=label) for n, (label, _) in enumerate(structure, start=1)], Axe
    )
    items = []
    for axe, (_, labels) in zip(axes, structure, strict=True):
        items += [Item(axe=axe, ordre=n, libelle=label) for n, label in enumerate(labels, start=1)]
    bulk_create_with_history(items, Item)
    return version


@transaction.atomic
def questionnaire_create(*, organisation, titre, structure, kind=Questionnaire.Kind.AUTRE, description="", user=None):
    """A new questionnaire with its version 1 (published at once)."""
    questionnaire = Questionnaire.objects.create(
        organisation=organisation, titre=titre, kind=kind, description=description
    )
    _version_build(questionnaire=questionnaire, numero=1, structure=structure, user=user)
    return questionnaire


@transaction.atomic
def questionnaire_install_defaults(*, organisation, user=None):
    """Give a porteur its own copy of the reference questionnaires (Annexe 1, savoirs-être) if it has none."""
    created = []
    existing = set(Questionnaire.objects.filter(organisation=organisation).values_list("kind", flat=True))
    for kind, titre, description, structure in DEFAULTS:
        if kind not in existing:
            created.append(
                questionnaire_create(
                    organisation=organisation,
                    titre=titre,
                    kind=kind,
                    description=description,
                    structure=structure,
                    user=user,
                )
            )
    return created


@transaction.atomic
def version_create(*, questionnaire, structure, user=None, echelle_min=0, echelle_max=4, echelle_aide=None, note=""):
    """Copy-on-write edit: publish version n+1. Earlier versions, and the evaluations using them, are untouched."""
    if echelle_max <= echelle_min:
        raise ValidationError("La note maximale doit être supérieure à la note minimale.")
    # Lock the questionnaire row so two coordinateurs publishing at once get distinct numbers.
    Questionnaire.objects.select_for_update().filter(pk=questionnaire.pk).first()
    last = questionnaire.versions.aggregate(n=Max("numero"))["n"] or 0
    return _version_build(
        questionnaire=questionnaire,
        numero=last + 1,
        structure=structure,
        user=user,
        echelle_min=echelle_min,
        echelle_max=echelle_max,
        echelle_aide=echelle_aide,
        note=note,
    )


@transaction.atomic
def evaluation_create(
    *, jeune, version, type, date, evaluateur=None, participation=None, commentaire="", scores=None, commentaires=None
):
    """Record an evaluation. ``scores`` {item_id: int or None}; items left out are « non renseigné »."""
    scores = scores or {}
    commentaires = commentaires or {}
    if version.questionnaire.organisation_id != jeune.organisation_id:
        raise ValidationError("Ce questionnaire n'appartient pas à la structure du jeune.")
    if participation is not None and participation.jeune_id != jeune.pk:
        raise ValidationError("Cette participation n'est pas celle de ce jeune.")
    if type not in Evaluation.Type.values:
        raise ValidationError("Moment d'évaluation inconnu.")
    item_ids = set(Item.objects.filter(axe__version=version).values_list("pk", flat=True))
    unknown = (set(scores) | set(commentaires)) - item_ids
    if unknown:
        raise ValidationError("Certains items ne font pas partie de cette version du questionnaire.")
    for value in scores.values():
        if value is not None and not (version.echelle_min <= value <= version.echelle_max):
            raise ValidationError(f"Une note doit être comprise entre {version.echelle_min} et {version.echelle_max}.")
    evaluation = Evaluation.objects.create(
        organisation_id=jeune.organisation_id,
        jeune=jeune,
        participation=participation,
        version=version,
        type=type,
        date=date,
        evaluateur=evaluateur,
        commentaire=commentaire,
    )
    rows = [
        Reponse(
            evaluation=evaluation,
            item_id=item_id,
            score=scores.get(item_id),
            commentaire=commentaires.get(item_id, ""),
        )
        for item_id in sorted(set(scores) | set(commentaires))
        if scores.get(item_id) is not None or commentaires.get(item_id)
    ]
    bulk_create_with_history(rows, Reponse)
    return evaluation


# --- Cohort progression (the bilan and /diagnostics/progression/) ---------------------------------------------


def cohort_progression(operation, du, au, questionnaire=None):
    """Mean entry vs exit score per axis for the young people of ``operation`` evaluated at both ends.

    The exit evaluation (last « sortie ») falls in [du, au]; the entry one is the first « entree » before it.
    Default questionnaire: the porteur's socio-professional diagnostic (Annexe 1), every version (axes are
    matched by label). Returns ``{"axes": [{"label", "entree", "sortie", "delta"}], "n": int, "svg": str}``;
    an axis is averaged over the young people who have a score on it at both ends. Four queries at most.
    """
    evaluations = (
        Evaluation.objects.for_organisation(operation.organisation_id)
        .filter(
            type__in=[Evaluation.Type.ENTREE, Evaluation.Type.SORTIE],
            date__lte=au,
        )
        .filter(
            Q(participation__operation=operation)
            | Q(
                participation__isnull=True,
                jeune_id__in=operation.participations.values("jeune_id"),
            )
        )
    )
    if questionnaire is not None:
        evaluations = evaluations.filter(version__questionnaire=questionnaire)
    else:
        evaluations = evaluations.filter(version__questionnaire__kind=Questionnaire.Kind.SOCIO_PRO)
    evaluations = list(evaluations.select_related("version__questionnaire").order_by("date", "pk"))
    pairs = {}
    for evaluation in evaluations:
        entry, exit_ = pairs.get(evaluation.jeune_id, (None, None))
        if evaluation.type == Evaluation.Type.ENTREE and entry is None:
            entry = evaluation
        elif evaluation.type == Evaluation.Type.SORTIE and evaluation.date >= du and entry is not None:
            exit_ = evaluation  # ordered by date: the last one wins
        pairs[evaluation.jeune_id] = (entry, exit_)
    pairs = [(e, s) for e, s in pairs.values() if e is not None and s is not None and e.date <= s.date]
    if not pairs:
        return {"axes": [], "n": 0, "svg": ""}
    scored = {r.evaluation.pk: r for r in resultats([e for pair in pairs for e in pair])}
    labels, sums = [], {}
    latest_version = max((s.version for _, s in pairs), key=lambda v: (v.questionnaire_id, v.numero))
    for res in sorted(scored.values(), key=lambda r: r.evaluation.version.numero, reverse=True):
        for axe in res.axes:
            if axe.libelle not in labels:
                labels.append(axe.libelle)
    for entry, exit_ in pairs:
        start, end = scored[entry.pk].by_label(), scored[exit_.pk].by_label()
        for label in labels:
            if start.get(label) is not None and end.get(label) is not None:
                sums.setdefault(label, ([], []))
                sums[label][0].append(start[label])
                sums[label][1].append(end[label])
    axes = []
    for label in labels:
        if label not in sums:
            continue
        entree, sortie = round(mean(sums[label][0]), 2), round(mean(sums[label][1]), 2)
        axes.append({"label": label, "entree": entree, "sortie": sortie, "delta": round(sortie - entree, 2)})
    svg = radar_svg(
        [a["label"] for a in axes],
        [
            Series("entree", "Moyenne à l'entrée", tuple(a["entree"] for a in axes)),
            Series("sortie", "Moyenne à la sortie", tuple(a["sortie"] for a in axes)),
        ],
        lo=latest_version.echelle_min,
        hi=latest_version.echelle_max,
        title=f"Progression moyenne de {len(pairs)} jeune(s) évalué(s) à l'entrée et à la sortie, {operation.code}",
        uid=f"cohorte-{operation.pk}",
    )
    return {"axes": axes, "n": len(pairs), "svg": svg}
