"""Demo data: each porteur's copy of the reference questionnaires, and entry / intermediate / exit evaluations."""

from datetime import timedelta

from django.db.models import F

from diagnostics.models import Evaluation, Item, Questionnaire, Reponse
from diagnostics.questionnaires import SAVOIRS_ETRE
from diagnostics.services import questionnaire_install_defaults, version_create
from youth.models import Participation


PORTEURS = {"acsrv": "conseillere@acsrv.demo", "carvin": "conseillere@carvin.demo"}
COORDINATION = {"acsrv": "coordination@acsrv.demo", "carvin": "coordination@carvin.demo"}


def _scores(rng, items, level, missing=0.08):
    """One score per item around ``level`` (0–4), some left « non renseigné »."""
    scores = {}
    for item_id in items:
        if rng.random() < missing:
            continue
        scores[item_id] = max(0, min(4, round(level + rng.uniform(-1.2, 1.2))))
    return scores


def seed_demo(ctx):
    rng = ctx.rng
    evaluations, answers = [], []
    for key, conseillere_email in PORTEURS.items():
        org = ctx.orgs[key]
        coordination = ctx.users.get(COORDINATION[key])
        questionnaire_install_defaults(organisation=org, user=coordination)
        questionnaires = {q.kind: q for q in Questionnaire.objects.filter(organisation=org)}
        versions = {kind: q.versions.get(numero=1) for kind, q in questionnaires.items()}
        if key == "acsrv":
            # A second version of the savoirs-être grid shows versioning: old evaluations keep v1.
            structure = [(axe, list(items)) for axe, items in SAVOIRS_ETRE]
            structure[-1][1].append("Se projette dans un métier")
            version_create(
                questionnaire=questionnaires["savoirs_etre"],
                structure=structure,
                user=coordination,
                note="Ajout de l'item « Se projette dans un métier » (Motivation).",
            )
        items = {
            kind: list(Item.objects.filter(axe__version=version).values_list("pk", flat=True))
            for kind, version in versions.items()
        }
        conseillere = ctx.users.get(conseillere_email)
        participations = (
            Participation.objects.for_organisation(org)
            .filter(date_entree__isnull=False)
            .exclude(date_sortie=F("date_entree"))
            .select_related("jeune")
            .order_by("pk")
        )
        for participation in participations:
            if rng.random() > 0.85:
                continue
            jeune = participation.jeune
            evaluateur_id = jeune.referent_id or (conseillere.pk if conseillere else None)
            start = min(participation.date_entree + timedelta(days=rng.randint(0, 14)), ctx.today)
            level = rng.uniform(0.6, 2.4)
            moments = [(Evaluation.Type.ENTREE, start, level)]
            end = participation.date_sortie
            if end and end > start and rng.random() < 0.85:
                moments.append((Evaluation.Type.SORTIE, min(end, ctx.today), level + rng.uniform(0.2, 1.6)))
            elif not end and (ctx.today - start).days > 90 and rng.random() < 0.5:
                moments.append((Evaluation.Type.INTERMEDIAIRE, start + timedelta(days=90), level + rng.uniform(0, 1)))
            kinds = ["socio_pro"] + (["savoirs_etre"] if rng.random() < 0.5 else [])
            for kind in kinds:
                for type_, when, lvl in moments:
                    evaluation = Evaluation(
                        organisation=org,
                        jeune=jeune,
                        participation=participation,
                        version=versions[kind],
                        type=type_,
                        date=when,
                        evaluateur_id=evaluateur_id,
                    )
                    evaluations.append(evaluation)
                    answers.append((evaluation, _scores(rng, items[kind], lvl)))
    Evaluation.objects.bulk_create(evaluations, batch_size=1000)
    rows = [
        Reponse(evaluation_id=evaluation.pk, item_id=item_id, score=score)
        for evaluation, scores in answers
        for item_id, score in scores.items()
    ]
    Reponse.objects.bulk_create(rows, batch_size=5000)
    ctx.log(f"Diagnostics : {len(evaluations)} évaluations, {len(rows)} réponses.")
