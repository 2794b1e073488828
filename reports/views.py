"""Web bilans (coordination only): figures of a period, PDF generation in the background, exports."""

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from core.permissions import coordinateur_required
from core.shortcuts import get_for_request_or_404
from core.uploads import protected_file_response
from expenses.finance import period_finance
from funding.finance import budget_summary
from funding.models import Operation
from reports import services
from reports.forms import BilanTexteForm, GrilleDensiteForm, PeriodeForm
from reports.models import BilanJob, BilanTexte, GrilleDensite


EXPORTS = {
    "chiffres-xlsx": ("figures", "xlsx"),
    "chiffres-csv": ("figures", "csv"),
    "participants-xlsx": ("participants", "xlsx"),
    "participants-csv": ("participants", "csv"),
}
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


FAULTS_SHOWN = 50  # the page lists the first ones; the counts above say how many there are


def _operations(request):
    return Operation.objects.for_request(request)


def _operation_or_404(request, pk):
    return get_for_request_or_404(request, _operations(request).select_related("organisation"), pk=pk)


def _job_or_404(request, pk):
    return get_for_request_or_404(
        request,
        BilanJob.objects.select_related("operation", "created_by"),
        pk=pk,
    )


def period_presets(operation, today):
    """Links offered above the period form: the current year, each year of the convention, the whole operation."""
    presets = [("Année en cours", date(today.year, 1, 1), date(today.year, 12, 31))]
    for year in range(operation.date_debut.year, operation.date_fin.year + 1):
        if year != today.year:
            presets.append((f"Année {year}", max(date(year, 1, 1), operation.date_debut), date(year, 12, 31)))
    presets.append(("Toute l'opération", operation.date_debut, operation.date_fin))
    return presets


def _period(request, operation):
    """(du, au, form) from the query string; default: the current calendar year."""
    today = timezone.localdate()
    default = (date(today.year, 1, 1), date(today.year, 12, 31))
    if "du" in request.GET or "au" in request.GET:
        form = PeriodeForm(request.GET)
        if form.is_valid():
            return form.cleaned_data["du"], form.cleaned_data["au"], form
        return *default, form
    return *default, PeriodeForm(initial={"du": default[0], "au": default[1]})


def _bilan_url(operation, du, au):
    return reverse("reports:bilan_operation", args=[operation.pk]) + "?" + urlencode({"du": du, "au": au})


@coordinateur_required
def bilan_index(request):
    operations = list(_operations(request).order_by("-is_active", "-date_debut", "code"))
    if "operation" in request.GET:
        chosen = next((o for o in operations if str(o.pk) == request.GET["operation"]), None)
        if chosen is None:
            raise Http404
        return redirect("reports:bilan_operation", pk=chosen.pk)
    return render(request, "reports/bilan_index.html", {"operations": operations})


@coordinateur_required
def bilan_operation(request, pk):
    from reports import indicators

    operation = _operation_or_404(request, pk)
    du, au, form = _period(request, operation)
    data = indicators.compute(operation, du, au)
    jobs = list(
        BilanJob.objects.for_request(request)
        .filter(operation=operation)
        .select_related("created_by", "operation")[:20]
    )
    today = timezone.localdate()
    context = {
        "operation": operation,
        "du": du,
        "au": au,
        "form": form,
        "presets": [
            {"label": label, "url": _bilan_url(operation, d, a), "active": (d, a) == (du, au)}
            for label, d, a in period_presets(operation, today)
        ],
        "data": data,
        "labels": {
            "indicateurs": indicators.LIBELLES_INDICATEURS,
            "categories": indicators.LIBELLES_CATEGORIES,
        },
        "finance": budget_summary(operation),
        "periode_finance": period_finance(operation, du, au),
        "jobs": jobs,
        "query": urlencode({"du": du, "au": au}),
    }
    context.update(_tables(data, indicators))
    context["faults"] = indicators.partition_faults(operation, du, au, limit=FAULTS_SHOWN)
    context["programme_rows"] = programme_rows(data)
    return render(request, "reports/bilan_operation.html", context)


def programme_rows(data):
    """The programme's own indicators as table rows (code, label, value or None)."""
    from reports import indicators, programmes

    labels = {**indicators.LIBELLES_INDICATEURS, **programmes.LIBELLES}
    return [
        {
            "code": code,
            "label": labels.get(code, code),
            "value": value,
            "six_mois": code in programmes.RESULTATS_6_MOIS,
        }
        for code, value in data["indicateurs_programme"].items()
    ]


@coordinateur_required
def bilan_textes(request, pk):
    """The editable texts of the bilan of a period (horizontal principles, publicity, gaps, place and date)."""
    operation = _operation_or_404(request, pk)
    du, au, period_form = _period(request, operation)
    texte = BilanTexte.objects.for_request(request).filter(operation=operation, du=du, au=au).first()
    initial = {
        "principes_horizontaux": (texte and texte.principes_horizontaux) or operation.texte_principes_horizontaux,
        "publicite": (texte and texte.publicite) or operation.texte_publicite,
        "ecarts": (texte and texte.ecarts) or operation.texte_ecarts,
        "lieu_signature": (texte and texte.lieu_signature) or operation.organisation.commune,
        "date_signature": texte.date_signature if texte else None,
    }
    form = BilanTexteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.bilan_texte_save(operation=operation, du=du, au=au, user=request.user, **form.cleaned_data)
        messages.success(request, "Textes du bilan enregistrés : ils figureront dans le prochain PDF.")
        return redirect(_bilan_url(operation, du, au))
    return render(
        request,
        "reports/bilantexte_form.html",
        {"operation": operation, "du": du, "au": au, "form": form, "back": _bilan_url(operation, du, au)},
    )


@coordinateur_required
def bilan_correspondance(request, pk):
    """Pseudonymous annex id ↔ person: coordination only (the PDF annex shows the ids alone)."""
    from reports.pdf import correspondence_rows

    operation = _operation_or_404(request, pk)
    du, au, _form = _period(request, operation)
    rows = correspondence_rows(operation, du, au)
    return render(
        request,
        "reports/bilan_correspondance.html",
        {"operation": operation, "du": du, "au": au, "rows": rows, "back": _bilan_url(operation, du, au)},
    )


@coordinateur_required
def grille_densite_list(request):
    """Editions of the INSEE commune density grid loaded by the structure, and the upload form (EECO17)."""
    from reports.importer import ImportFileError

    grids = GrilleDensite.objects.for_request(request)
    form = GrilleDensiteForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            grid, problems = services.grille_densite_upload(
                organisation=request.scope.organisation, user=request.user, **form.cleaned_data
            )
        except ImportFileError as exc:
            problems = [str(exc)]
        if not problems:
            messages.success(request, f"{grid} chargée : {grid.communes} communes.")
            return redirect("reports:grille_densite_list")
    return render(
        request,
        "reports/grilledensite_list.html",
        {"grids": grids.select_related("chargee_par"), "form": form, "problems": problems[:50]},
    )


def _tables(data, indicators):
    from youth.models import Participation

    situations = dict(Participation.SituationSortie.choices)
    situations[indicators.SITUATION_NON_RENSEIGNEE] = "Situation non renseignée"
    sexes = (("F", "Femmes"), ("H", "Hommes"), ("X", "Non binaire / autre"))
    entrees = data["entrees"]
    return {
        "age_bands": list(indicators.AGE_BANDS),
        "sexe_age": [
            {
                "label": label,
                "bands": [data["entrees_par_sexe_et_age"][code][band] for band in indicators.AGE_BANDS],
                "total": data["entrees_par_sexe"][code],
                "part": round(data["entrees_par_sexe"][code] / entrees, 4) if entrees else None,
            }
            for code, label in sexes
        ],
        "indicateurs": [
            {
                "code": code,
                "label": indicators.LIBELLES_INDICATEURS.get(code, code),
                "total": value,
                **{sexe: data["indicateurs_par_sexe"][sexe].get(code, 0) for sexe, _ in sexes},
            }
            for code, value in data["indicateurs"].items()
        ],
        "categories": [
            {
                "code": code,
                "label": indicators.LIBELLES_CATEGORIES.get(code, code),
                "n": n,
                "taux": data["taux_par_categorie"].get(code, 0),
                "positive": code in indicators.POSITIVES,
            }
            for code, n in data["sorties_par_categorie"].items()
        ],
        "situations": [
            {"label": situations.get(code, code), "n": n} for code, n in data["sorties_par_situation"].items() if n
        ],
    }


@coordinateur_required
def bilan_job_launch_view(request, pk):
    operation = _operation_or_404(request, pk)
    if request.method != "POST":
        return redirect("reports:bilan_operation", pk=operation.pk)
    form = PeriodeForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("reports:bilan_operation", pk=operation.pk)
    du, au = form.cleaned_data["du"], form.cleaned_data["au"]
    job, created = services.bilan_job_launch(operation=operation, du=du, au=au, user=request.user)
    if created:
        messages.success(request, "La génération du PDF a commencé ; vous pouvez suivre sa progression ci-dessous.")
    else:
        who = job.created_by.get_full_name() or job.created_by.email if job.created_by else "un autre utilisateur"
        messages.info(
            request,
            f"Ce bilan est déjà en cours de génération (demandé par {who} le "
            f"{timezone.localtime(job.created_at):%d/%m/%Y à %H:%M}) : suivez-le ci-dessous.",
        )
    return redirect(_bilan_url(operation, du, au) + f"#job-{job.pk}")


@coordinateur_required
def bilan_job_progress(request, pk):
    job = _job_or_404(request, pk)
    template = "reports/bilanjob_progress.html" if request.htmx else "reports/bilanjob_detail.html"
    return render(request, template, {"job": job})


@coordinateur_required
def bilan_job_relaunch_view(request, pk):
    job = _job_or_404(request, pk)
    if request.method != "POST":
        return redirect("reports:bilan_job_progress", pk=job.pk)
    new_job, created = services.bilan_job_relaunch(job=job, user=request.user)
    if created:
        messages.success(request, "Nouvelle génération lancée.")
    elif new_job.pk == job.pk:
        messages.info(request, "Cette génération est toujours en cours : elle ne peut pas être relancée.")
    else:
        messages.info(request, "Une génération identique est déjà en cours.")
    return redirect(_bilan_url(new_job.operation, new_job.du, new_job.au) + f"#job-{new_job.pk}")


@coordinateur_required
def bilan_job_download(request, pk):
    job = _job_or_404(request, pk)
    if job.status != BilanJob.Status.DONE:
        raise Http404("Ce PDF n'est pas (encore) disponible.")
    return protected_file_response(job.fichier, download_name=job.download_name)


@coordinateur_required
def bilan_export(request, pk, kind):
    operation = _operation_or_404(request, pk)
    if kind not in EXPORTS:
        raise Http404
    du, au, form = _period(request, operation)
    if form.is_bound and not form.is_valid():
        raise Http404
    what, fmt = EXPORTS[kind]
    try:
        from reports import exports, indicators
    except ImportError as exc:
        raise Http404("Export indisponible.") from exc
    if what == "figures":
        data = indicators.compute(operation, du, au)
        content = exports.figures_xlsx(data) if fmt == "xlsx" else exports.figures_csv(data)
    else:
        if fmt == "xlsx":
            content = exports.participants_xlsx(operation, du, au)
        else:
            content = exports.participants_csv(operation, du, au)
    if isinstance(content, str):
        content = content.encode("utf-8")
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    filename = f"{what}-{operation.code}-{du:%Y-%m-%d}-{au:%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _pack_or_404(request, pk):
    from reports.models import CsfPack

    return get_for_request_or_404(request, CsfPack.objects.select_related("operation", "created_by"), pk=pk)


@coordinateur_required
def csf_index(request, pk):
    """Draw a CSF sample for a period and follow the ZIP's generation."""
    from reports.forms import CsfPackForm
    from reports.models import CsfPack

    operation = _operation_or_404(request, pk)
    du, au, _form = _period(request, operation)
    form = CsfPackForm(request.POST or None, initial={"du": du, "au": au, "nb_participants": 10, "nb_depenses": 10})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        pack = services.csf_pack_launch(
            operation=operation,
            du=data["du"],
            au=data["au"],
            user=request.user,
            nb_participants=data["nb_participants"],
            nb_depenses=data["nb_depenses"],
            graine=data["graine"],
        )
        messages.success(
            request,
            f"Tirage enregistré (graine {pack.graine}) : {len(pack.participations_tirees)} participant(s), "
            f"{len(pack.depenses_tirees)} dépense(s). Le ZIP se prépare ci-dessous.",
        )
        return redirect(reverse("reports:csf_index", args=[operation.pk]) + f"#pack-{pack.pk}")
    packs = Paginator(
        CsfPack.objects.for_request(request).filter(operation=operation).select_related("created_by", "operation"),
        20,
    ).get_page(request.GET.get("page"))
    return render(request, "reports/csf_index.html", {"operation": operation, "form": form, "page": packs})


@coordinateur_required
def csf_pack_progress(request, pk):
    pack = _pack_or_404(request, pk)
    template = "reports/csfpack_progress.html" if request.htmx else "reports/csfpack_detail.html"
    return render(request, template, {"pack": pack})


@coordinateur_required
def csf_pack_relaunch_view(request, pk):
    pack = _pack_or_404(request, pk)
    if request.method != "POST":
        return redirect("reports:csf_pack_progress", pk=pack.pk)
    new_pack, created = services.csf_pack_relaunch(pack=pack, user=request.user)
    if created:
        messages.success(request, "Nouvelle génération lancée (même graine, même tirage).")
    else:
        messages.info(request, "Cette génération est toujours en cours : elle ne peut pas être relancée.")
    return redirect(reverse("reports:csf_index", args=[new_pack.operation_id]) + f"#pack-{new_pack.pk}")


@coordinateur_required
def csf_pack_download(request, pk):
    pack = _pack_or_404(request, pk)
    if pack.status != pack.Status.DONE:
        raise Http404("Ce ZIP n'est pas (encore) disponible.")
    return protected_file_response(pack.fichier, download_name=pack.download_name)


# --- Participant import from the browser (the rules of ``import_participants``) -------------------------------

IMPORT_PROBLEMS_SHOWN = 200


def _import_job_or_404(request, pk):
    from reports.models import ImportJob

    return get_for_request_or_404(request, ImportJob.objects.select_related("operation", "created_by"), pk=pk)


def _import_jobs_page(request):
    from reports.models import ImportJob

    jobs = ImportJob.objects.for_request(request).select_related("operation", "created_by")
    return Paginator(jobs, 20).get_page(request.GET.get("page"))


@coordinateur_required
def import_index(request):
    """Upload a file, see the dry run (problems by line and column, error file), then launch the import."""
    from reports.forms import ImportForm
    from reports.importer import ImportFileError, split_problem

    form = ImportForm(request.POST or None, request.FILES or None, request=request)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        operation, uploaded = form.cleaned_data["operation"], form.cleaned_data["fichier"]
        try:
            result = services.import_dry_run(operation=operation, name=uploaded.name, source=uploaded)
        except ImportFileError as exc:
            form.add_error("fichier", str(exc))
        else:
            token = services.import_draft_save(
                organisation=request.scope.organisation, operation=operation, uploaded=uploaded
            )
            context.update(
                {
                    "checked": True,
                    "operation": operation,
                    "nom_fichier": uploaded.name,
                    "result": result,
                    "problems": [split_problem(e) for e in result.errors[:IMPORT_PROBLEMS_SHOWN]],
                    "warnings": [split_problem(w) for w in result.warnings[:IMPORT_PROBLEMS_SHOWN]],
                    "token": token,
                    "errors_url": reverse("reports:import_errors") + "?" + urlencode({"jeton": token}),
                }
            )
    context["page"] = _import_jobs_page(request)
    return render(request, "reports/import_index.html", context)


def _draft_or_404(request, token):
    draft = services.import_draft_load(token, organisation=request.scope.organisation)
    if draft is None:
        raise Http404("Vérification introuvable ou expirée : déposez le fichier à nouveau.")
    operation = _operation_or_404(request, draft["op"])
    return draft, operation


@coordinateur_required
def import_errors(request):
    """The checked file with an ``erreurs`` column (same format as the upload): fix it and upload it again."""
    import io
    from pathlib import PurePath

    from reports import exports
    from reports.importer import ImportFileError, import_participants, read_raw, split_problem

    draft, operation = _draft_or_404(request, request.GET.get("jeton"))
    try:
        data = services.read_stored(draft["f"])
    except FileNotFoundError as exc:
        raise Http404 from exc
    try:
        result = import_participants(draft["f"], operation, dry_run=True, source=io.BytesIO(data))
        raw = read_raw(draft["f"], source=io.BytesIO(data))
    except ImportFileError as exc:
        raise Http404(str(exc)) from exc
    problems = [split_problem(e) for e in result.errors]
    stem = PurePath(draft["n"]).stem or "participants"
    if PurePath(draft["f"]).suffix in (".xlsx", ".xlsm"):
        content, fmt = exports.import_error_xlsx(raw, problems), "xlsx"
    else:
        content, fmt = exports.import_error_csv(raw, problems), "csv"
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{stem}-erreurs.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


@coordinateur_required
def import_launch(request):
    if request.method != "POST":
        return redirect("reports:import_index")
    draft, operation = _draft_or_404(request, request.POST.get("jeton"))
    job = services.import_job_launch(
        operation=operation, user=request.user, stored_name=draft["f"], nom_fichier=draft["n"]
    )
    messages.success(request, "L'import a commencé ; vous pouvez suivre sa progression ci-dessous.")
    return redirect(reverse("reports:import_job_progress", args=[job.pk]))


@coordinateur_required
def import_job_progress(request, pk):
    job = _import_job_or_404(request, pk)
    template = "reports/importjob_progress.html" if request.htmx else "reports/importjob_detail.html"
    return render(request, template, {"job": job})


@coordinateur_required
def import_job_relaunch_view(request, pk):
    job = _import_job_or_404(request, pk)
    if request.method != "POST":
        return redirect("reports:import_job_progress", pk=job.pk)
    new_job, created = services.import_job_relaunch(job=job, user=request.user)
    if created:
        messages.success(request, "Nouvel import lancé sur le même fichier.")
    else:
        messages.info(request, "Cet import est toujours en cours : il ne peut pas être relancé.")
    return redirect("reports:import_job_progress", pk=new_job.pk)


@coordinateur_required
def import_job_file(request, pk):
    """The file that was imported (audit trail): coordination of the organisation only."""
    job = _import_job_or_404(request, pk)
    return protected_file_response(job.fichier, download_name=job.download_name)
