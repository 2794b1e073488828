from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.permissions import Record, coordinateur_required, write_required
from core.shortcuts import get_for_request_or_404
from diagnostics import services
from diagnostics.forms import EvaluationCorrectionForm, EvaluationForm, ProgressionForm, VersionForm
from diagnostics.integration import panel_context
from diagnostics.models import Evaluation, Questionnaire, QuestionnaireVersion
from diagnostics.pdf import evaluation_sheet_pdf
from diagnostics.scoring import resultats, single_radar, structures
from funding.models import Operation
from youth import records
from youth.forms import MotifSuppressionForm
from youth.models import Jeune, Participation


diagnostic_required = write_required(Record.DIAGNOSTIC)


@diagnostic_required
def questionnaire_list(request):
    questionnaires = Questionnaire.objects.for_request(request).prefetch_related(
        Prefetch(
            "versions",
            queryset=QuestionnaireVersion.objects.annotate(
                nb_evaluations=Count("evaluations", distinct=True), nb_axes=Count("axes", distinct=True)
            ).order_by("-numero"),
        )
    )
    return render(request, "diagnostics/questionnaire_list.html", {"questionnaires": questionnaires})


@require_POST
@coordinateur_required
def questionnaire_install(request):
    created = services.questionnaire_install_defaults(organisation=request.organisation, user=request.user)
    if created:
        messages.success(request, f"{len(created)} questionnaire(s) de référence ajouté(s) à votre structure.")
    else:
        messages.info(request, "Votre structure a déjà les questionnaires de référence.")
    return redirect("diagnostics:questionnaire_list")


@diagnostic_required
def version_detail(request, pk):
    version = get_for_request_or_404(
        request, QuestionnaireVersion.objects.select_related("questionnaire", "publiee_par"), pk=pk
    )
    versions = version.questionnaire.versions.annotate(nb_evaluations=Count("evaluations")).order_by("-numero")
    context = {
        "version": version,
        "questionnaire": version.questionnaire,
        "structure": structures([version.pk]).get(version.pk, []),
        "versions": versions,
        "derniere": max(versions, key=lambda v: v.numero),
    }
    return render(request, "diagnostics/questionnaireversion_detail.html", context)


@coordinateur_required
def version_create(request, questionnaire_id):
    questionnaire = get_for_request_or_404(request, Questionnaire, pk=questionnaire_id)
    derniere = questionnaire.versions.order_by("-numero").first()
    if request.method == "POST":
        form = VersionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            version = services.version_create(
                questionnaire=questionnaire,
                structure=data["structure"],
                user=request.user,
                echelle_min=data["echelle_min"],
                echelle_max=data["echelle_max"],
                echelle_aide=data["echelle_aide"],
                note=data["note"],
            )
            messages.success(request, f"Version {version.numero} publiée. Les évaluations passées gardent la leur.")
            return redirect("diagnostics:version_detail", pk=version.pk)
    else:
        initial = {}
        if derniere is not None:
            initial = {
                "structure": services.structure_to_text(structures([derniere.pk]).get(derniere.pk, [])),
                "echelle_min": derniere.echelle_min,
                "echelle_max": derniere.echelle_max,
                "echelle_aide": derniere.echelle_aide,
            }
        form = VersionForm(initial=initial)
    return render(
        request,
        "diagnostics/questionnaireversion_form.html",
        {"form": form, "questionnaire": questionnaire, "derniere": derniere},
    )


@diagnostic_required
def evaluation_create(request, jeune_id):
    jeune = get_for_request_or_404(request, Jeune, pk=jeune_id)
    questionnaires = list(
        Questionnaire.objects.for_request(request)
        .filter(organisation_id=jeune.organisation_id, is_active=True)
        .annotate(derniere=Max("versions__numero"))
        .filter(derniere__isnull=False)
    )
    questionnaires.sort(key=lambda q: (q.kind != Questionnaire.Kind.SOCIO_PRO, q.titre))
    if not questionnaires:
        messages.warning(request, "Votre structure n'a encore aucun questionnaire : installez ceux de référence.")
        return redirect("diagnostics:questionnaire_list")
    source = request.POST if request.method == "POST" else request.GET
    questionnaire = next((q for q in questionnaires if str(q.pk) == source.get("questionnaire")), questionnaires[0])
    # The version answered is the one shown when the form was opened (posted back), else the latest.
    versions = QuestionnaireVersion.objects.for_request(request).filter(questionnaire=questionnaire)
    version = versions.filter(pk=request.POST.get("version") or 0).first() if request.method == "POST" else None
    version = version or versions.get(numero=questionnaire.derniere)
    structure = structures([version.pk]).get(version.pk, [])
    participations = Participation.objects.for_request(request).filter(jeune=jeune).select_related("operation")
    type_initial = request.GET.get("type") if request.GET.get("type") in Evaluation.Type.values else "entree"
    form_kwargs = {"version": version, "structure": structure, "participations": participations, "request": request}
    if request.method == "POST":
        form = EvaluationForm(request.POST, **form_kwargs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                evaluation = services.evaluation_create(
                    jeune=jeune,
                    version=version,
                    type=data["type"],
                    date=data["date"],
                    evaluateur=request.user,
                    participation=data["participation"],
                    commentaire=data["commentaire"],
                    scores=form.scores(),
                    commentaires=form.commentaires(),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Évaluation enregistrée.")
                return redirect("diagnostics:evaluation_detail", pk=evaluation.pk)
    else:
        participation = next(iter(participations), None) if len(participations) == 1 else None
        form = EvaluationForm(initial={"type": type_initial, "participation": participation}, **form_kwargs)
    return render(
        request,
        "diagnostics/evaluation_form.html",
        {
            "form": form,
            "jeune": jeune,
            "questionnaire": questionnaire,
            "questionnaires": questionnaires,
            "version": version,
            "type_initial": type_initial,
        },
    )


def _evaluation_with_results(request, pk):
    """The evaluation (scoped), its detailed scores, and those of the entry evaluation it compares to (if any)."""
    evaluation = get_for_request_or_404(
        request,
        Evaluation.objects.select_related(
            "organisation", "jeune", "participation__operation", "version__questionnaire", "evaluateur"
        ),
        pk=pk,
    )
    entree = None
    if evaluation.type != Evaluation.Type.ENTREE:
        entree = (
            Evaluation.objects.for_request(request)
            .filter(
                jeune_id=evaluation.jeune_id,
                version__questionnaire_id=evaluation.version.questionnaire_id,
                type=Evaluation.Type.ENTREE,
                date__lte=evaluation.date,
            )
            .select_related("version__questionnaire")
            .order_by("date", "pk")
            .first()
        )
    found = resultats([evaluation, entree] if entree else [evaluation], detailed=True)
    resultat, entree_resultat = found[0], (found[1] if entree else None)
    if entree_resultat is not None:
        start = entree_resultat.by_label()
        for axe in resultat.axes:
            axe.entree = start.get(axe.libelle)
    return evaluation, resultat, entree_resultat


@diagnostic_required
def evaluation_detail(request, pk):
    evaluation, resultat, entree = _evaluation_with_results(request, pk)
    context = {
        "evaluation": evaluation,
        "resultat": resultat,
        "entree": entree,
        "svg": single_radar(resultat, uid=f"radar-eval-{evaluation.pk}", entree=entree),
    }
    return render(request, "diagnostics/evaluation_detail.html", context)


@diagnostic_required
def evaluation_pdf(request, pk):
    evaluation, resultat, entree = _evaluation_with_results(request, pk)
    pdf = evaluation_sheet_pdf(evaluation, resultat, entree=entree, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="fiche-evaluation-{evaluation.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@diagnostic_required
def jeune_diagnostics(request, jeune_id):
    jeune = get_for_request_or_404(request, Jeune, pk=jeune_id)
    return render(request, "diagnostics/jeune_diagnostics.html", panel_context(request.scope, jeune, with_freins=True))


@coordinateur_required
def progression(request):
    operations = Operation.objects.for_request(request)
    questionnaires = Questionnaire.objects.for_request(request)
    form_kwargs = {"operations": operations, "questionnaires": questionnaires, "request": request}
    result = None
    if "operation" in request.GET:
        form = ProgressionForm(request.GET, **form_kwargs)
        if form.is_valid():
            data = form.cleaned_data
            result = services.cohort_progression(
                data["operation"], data["du"], data["au"], questionnaire=data["questionnaire"]
            )
    else:
        operation = operations.first()
        initial = {}
        if operation is not None:
            initial = {
                "operation": operation,
                "du": operation.date_debut,
                "au": min(operation.date_fin, timezone.localdate()),
            }
        form = ProgressionForm(initial=initial, **form_kwargs)
    return render(request, "diagnostics/progression.html", {"form": form, "result": result})


# --- Correct and delete an evaluation (youth.records), while no signed-off bilan counted it --------------------


def _evaluation(request, pk):
    return get_for_request_or_404(request, Evaluation.objects.select_related("jeune", "version__questionnaire"), pk=pk)


@diagnostic_required
def evaluation_update(request, pk):
    """Correct the date, the moment or the comment (the history keeps the previous version)."""
    evaluation = _evaluation(request, pk)
    refusal = records.edit_refusal(evaluation)
    if refusal:
        messages.error(request, refusal)
        return redirect(evaluation)
    form = EvaluationCorrectionForm(request.POST or None, instance=evaluation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Évaluation corrigée (l'historique garde la version précédente).")
        return redirect(evaluation)
    return render(
        request,
        "youth/simple_form.html",
        {"jeune": evaluation.jeune, "form": form, "title": "Corriger l'évaluation"},
    )


@diagnostic_required
def evaluation_delete(request, pk):
    evaluation = _evaluation(request, pk)
    form = MotifSuppressionForm(request.POST or None)
    refusal = records.delete_refusal(evaluation)
    allowed = records.may_delete(request.scope, evaluation)
    if request.method == "POST" and form.is_valid() and allowed and not refusal:
        try:
            records.delete(obj=evaluation, scope=request.scope, motif=form.cleaned_data["motif"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Évaluation supprimée : la coordination peut la restaurer depuis la corbeille.")
            return redirect("diagnostics:jeune_diagnostics", jeune_id=evaluation.jeune_id)
    return render(
        request,
        "youth/record_delete.html",
        {
            "jeune": evaluation.jeune,
            "obj": evaluation,
            "what": "l'évaluation",
            "form": form,
            "refusal": refusal,
            "allowed": allowed,
        },
        status=403 if request.method == "POST" and not allowed else 200,
    )
