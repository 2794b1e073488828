from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core import dossier as core_dossier
from core.models import Role
from core.pagination import CappedPaginator
from core.permissions import Record, coordinateur_required, current_role, staff_required, write_required
from core.shortcuts import get_for_request_or_404
from core.sorting import Column, Sort
from core.templatetags.fr import de
from core.uploads import protected_file_response
from youth import dossier as youth_dossier, merge, records, services
from youth.dossier import add_months, alerts_for, history_entries, questionnaire_complet
from youth.filters import JeuneFilter
from youth.forms import (
    DocumentForm,
    EntreeForm,
    EntretienForm,
    EtapeForm,
    FreinForm,
    JeuneForm,
    MotifSuppressionForm,
    ParticipationCreateForm,
    QuestionnaireForm,
    SortieForm,
    SuiviForm,
)
from youth.models import Document, Entretien, EtapePlan, Frein, Jeune, Participation, SuiviPostSortie


# Conseillères and coordination write dossiers; the chargé·e de relation entreprise only reads a summary.
writer_required = write_required(Record.DOSSIER)
TIMELINE_LIMIT = 60


def can_write(request):
    return request.scope.writes(Record.DOSSIER)


def _jeune(request, pk):
    return get_for_request_or_404(request, Jeune, pk=pk)


def _participation(request, pk, ppk):
    return get_for_request_or_404(
        request, Participation.objects.select_related("jeune", "operation"), jeune_id=pk, pk=ppk
    )


# Sortable columns of the list (core.sorting); "Âge" sorts the youngest first, as "date de naissance" descending.
JEUNE_COLUMNS = [
    Column("nom", "Nom", ("nom", "prenom")),
    Column("age", "Âge", ("-date_naissance",)),
    Column("etat", "État", ("statut",)),
    Column("operation", "Opération"),
    Column("referente", "Référente", ("referent__last_name", "referent__first_name")),
    Column("contact", "Dernier contact", ("date_dernier_contact",)),
]


@staff_required
def jeune_list(request):
    jeunes = (
        Jeune.objects.for_request(request)  # archived dossiers: coordination only (retention policy)
        .filter(anonymised_at__isnull=True)
        .select_related("referent")
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.for_request(request).select_related("operation").order_by("pk"),
            )
        )
    )
    sort = Sort(request, JEUNE_COLUMNS, default="nom")
    jeunes = sort.apply(jeunes, searching=bool(request.GET.get("q", "").strip()))
    filterset = JeuneFilter(request.GET or None, queryset=jeunes, request=request)
    queryset = filterset.qs if filterset.is_bound else jeunes
    # The count stops at 1 000 (« plus de 1 000 »): an exact count is a scan of a large organisation's every row.
    page = CappedPaginator(queryset, 50, page=request.GET.get("page")).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "youth/jeune_list.html",
        {
            "page": page,
            "filter": filterset,
            "query": query.urlencode(),
            "can_write": can_write(request),
            "sort": sort,
        },
    )


@writer_required
def jeune_create(request):
    form = JeuneForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        jeune = form.save(commit=False)
        jeune.organisation = request.organisation
        if jeune.referent is None and current_role(request) == Role.CONSEILLERE:
            jeune.referent = request.user
        jeune.save()
        messages.success(request, f"Dossier {de(jeune)} créé.")
        return redirect(jeune.get_absolute_url())
    return render(request, "youth/jeune_form.html", {"form": form, "jeune": None})


@writer_required
def jeune_update(request, pk):
    jeune = _jeune(request, pk)
    form = JeuneForm(request.POST or None, instance=jeune, request=request)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Dossier mis à jour.")
        return redirect(jeune.get_absolute_url())
    return render(request, "youth/jeune_form.html", {"form": form, "jeune": jeune})


def _dossier_context(request, jeune, entretien_form=None):
    scope = request.scope
    writer = can_write(request)
    ctx = core_dossier.DossierContext.for_request(request, jeune, TIMELINE_LIMIT)
    panels, timeline = core_dossier.contributions(ctx)
    participations = youth_dossier.participations_of(ctx)  # the rows the timeline read, not read again
    for p in participations:
        p.questionnaire_ok = questionnaire_complet(p)
        p.fin_prevue = add_months(p.date_entree, 6) if p.date_entree else None
    context = {
        "jeune": jeune,
        "participations": participations,
        "alerts": alerts_for(jeune, participations),
        "can_write": writer,
        "timeline": timeline,
        "panels": [
            {**panel, "html": render_to_string(panel["template"], panel["context"], request=request)}
            for panel in panels
        ],
    }
    if writer:
        context.update(
            {
                "entretien_form": entretien_form or EntretienForm(),
                "etapes": youth_dossier.etapes_of(ctx),
                "freins": youth_dossier.freins_of(ctx),
                "documents": youth_dossier.documents_of(ctx),
                "etape_form": EtapeForm(),
                "frein_form": FreinForm(),
                "operations_disponibles": ParticipationCreateForm(scope=scope)
                .fields["operation"]
                .queryset.exclude(pk__in=[p.operation_id for p in participations]),
            }
        )
    return context


@staff_required
def jeune_detail(request, pk):
    try:
        jeune = get_for_request_or_404(
            request,
            Jeune.objects.select_related("referent", "organisation_orienteuse"),
            pk=pk,
        )
    except Http404:
        # A dossier merged into another one (youth.merge): its address leads to the kept dossier.
        merged = (
            Jeune.objects.for_request(request, deleted=True)
            .filter(pk=pk, fusionne_dans__isnull=False)
            .values_list("fusionne_dans_id", flat=True)
            .first()
        )
        if merged is None:
            raise
        kept = get_for_request_or_404(request, Jeune, pk=merged)
        messages.info(request, f"Le dossier n° {pk} a été fusionné dans celui-ci.")
        return redirect(kept.get_absolute_url())
    return render(request, "youth/jeune_detail.html", _dossier_context(request, jeune))


@staff_required
def jeune_history(request, pk):
    jeune = _jeune(request, pk)
    entries = history_entries(jeune, request.scope)
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(request, "youth/jeune_history.html", {"jeune": jeune, "page": page})


# --- Entretiens -----------------------------------------------------------------------------------------


def _form_errors(form, exc, default_field):
    """A service's ValidationError shown on the form (a field it names, or ``default_field``)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else default_field, errors)
    else:
        form.add_error(default_field, exc)


def _entretien_saved(form):
    debut = form.prochain_rdv_debut
    if debut is None:
        return "Entretien enregistré."
    return f"Entretien enregistré ; prochain rendez-vous planifié le {timezone.localtime(debut):%d/%m/%Y à %H:%M}."


@writer_required
def entretien_create(request, pk):
    jeune = _jeune(request, pk)
    form = EntretienForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.entretien_create(
                jeune=jeune, auteur=request.user, prochain_rdv_debut=form.prochain_rdv_debut, **form.cleaned_data
            )
        except ValidationError as exc:
            _form_errors(form, exc, "prochain_rdv")
        else:
            messages.success(request, _entretien_saved(form))
            return redirect(reverse("youth:jeune_detail", args=[jeune.pk]) + "#timeline")
    if request.method == "POST" and request.POST.get("depuis") == "dossier":
        jeune = get_for_request_or_404(
            request,
            Jeune.objects.select_related("referent", "organisation_orienteuse"),
            pk=pk,
        )
        return render(request, "youth/jeune_detail.html", _dossier_context(request, jeune, form), status=422)
    return render(request, "youth/entretien_form.html", {"jeune": jeune, "form": form})


@writer_required
def entretien_update(request, pk, epk):
    jeune = _jeune(request, pk)
    entretien = get_for_request_or_404(request, Entretien.objects.filter(jeune=jeune), pk=epk)
    if entretien.auteur_id != request.user.pk and current_role(request) != Role.COORDINATEUR:
        messages.error(request, "Seul l'auteur d'un entretien ou la coordination peut le modifier.")
        return redirect(jeune.get_absolute_url())
    form = EntretienForm(request.POST or None, instance=entretien)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                form.save()
                services.entretien_prochain_rdv(entretien, form.prochain_rdv_debut, request.user)
        except ValidationError as exc:
            _form_errors(form, exc, "prochain_rdv")
        else:
            messages.success(
                request, "Entretien modifié." if form.prochain_rdv_debut is None else _entretien_saved(form)
            )
            return redirect(reverse("youth:jeune_detail", args=[jeune.pk]) + "#timeline")
    return render(request, "youth/entretien_form.html", {"jeune": jeune, "form": form, "entretien": entretien})


@writer_required
def entretien_list(request, pk):
    jeune = _jeune(request, pk)
    entretiens = Entretien.objects.for_request(request).filter(jeune=jeune).select_related("auteur")
    page = Paginator(entretiens, 50).get_page(request.GET.get("page"))
    return render(request, "youth/entretien_list.html", {"jeune": jeune, "page": page})


# --- Participations -------------------------------------------------------------------------------------


@writer_required
def participation_create(request, pk):
    jeune = _jeune(request, pk)
    form = ParticipationCreateForm(request.POST or None, scope=request.scope)
    if request.method == "POST" and form.is_valid():
        participation, created = jeune.participations.get_or_create(
            jeune=jeune, operation=form.cleaned_data["operation"], defaults={"organisation": jeune.organisation}
        )
        if not created:
            messages.info(request, "Ce jeune a déjà une participation à cette opération : la voici.")
        return redirect("youth:participation_entree", pk=jeune.pk, ppk=participation.pk)
    return render(request, "youth/participation_create.html", {"jeune": jeune, "form": form})


@staff_required
def participation_detail(request, pk, ppk):
    participation = _participation(request, pk, ppk)
    suivis = {s.echeance: s for s in participation.suivis.all()}
    echeances = []
    if participation.date_sortie:
        for value, label in SuiviPostSortie.Echeance.choices:
            echeances.append(
                {"label": label, "due": add_months(participation.date_sortie, value), "suivi": suivis.get(value)}
            )
    documents = []
    if can_write(request):
        documents = list(Document.objects.for_request(request).filter(participation=participation))
    return render(
        request,
        "youth/participation_detail.html",
        {
            "jeune": participation.jeune,
            "participation": participation,
            "questionnaire_ok": questionnaire_complet(participation),
            "echeances": echeances,
            "documents": documents,
            "can_write": can_write(request),
            "today": timezone.localdate(),
        },
    )


@writer_required
def participation_entree(request, pk, ppk):
    participation = _participation(request, pk, ppk)
    if participation.date_entree:
        messages.info(request, "Le contrat d'engagement est déjà signé.")
        return redirect("youth:participation_detail", pk=pk, ppk=ppk)
    form = EntreeForm(request.POST or None, participation=participation)
    if request.method == "POST" and form.is_valid():
        try:
            services.participation_enter(participation=participation, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Entrée dans {participation.operation.code} enregistrée. Imprimez le contrat.")
            return redirect("youth:participation_detail", pk=pk, ppk=ppk)
    etapes = EtapePlan.objects.for_request(request).filter(jeune_id=pk)
    return render(
        request,
        "youth/participation_entree.html",
        {"jeune": participation.jeune, "participation": participation, "form": form, "etapes": etapes},
    )


@writer_required
def participation_questionnaire(request, pk, ppk):
    participation = _participation(request, pk, ppk)
    form = QuestionnaireForm(request.POST or None, instance=participation)
    if request.method == "POST" and form.is_valid():
        participation = form.save(commit=False)
        participation.questionnaire_par = request.user
        participation.save()
        messages.success(request, "Questionnaire d'entrée enregistré.")
        return redirect("youth:participation_detail", pk=pk, ppk=ppk)
    return render(
        request,
        "youth/participation_questionnaire.html",
        {"jeune": participation.jeune, "participation": participation, "form": form},
    )


@writer_required
def participation_sortie(request, pk, ppk):
    participation = _participation(request, pk, ppk)
    if participation.date_entree is None:
        messages.error(request, "Le jeune n'est pas entré dans l'opération : signez d'abord le contrat d'engagement.")
        return redirect("youth:participation_detail", pk=pk, ppk=ppk)
    form = SortieForm(request.POST or None, instance=participation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        participation.emploi_pendant_parcours = data["emploi_pendant_parcours"]
        try:
            services.participation_exit(
                participation=participation,
                date_sortie=data["date_sortie"],
                situation_sortie=data["situation_sortie"],
                a_termine=data["a_termine"],
                qualification_obtenue=data["qualification_obtenue"],
                date_situation_sortie=data["date_situation_sortie"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Sortie enregistrée. Pensez aux suivis à 1, 3 et 6 mois.")
            return redirect("youth:participation_detail", pk=pk, ppk=ppk)
    return render(
        request,
        "youth/participation_sortie.html",
        {"jeune": participation.jeune, "participation": participation, "form": form},
    )


@writer_required
def participation_reouvrir(request, pk, ppk):
    participation = _participation(request, pk, ppk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.participation_reopen(participation=participation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Participation rouverte : la sortie précédente reste dans l'historique.")
    return redirect("youth:participation_detail", pk=pk, ppk=ppk)


@writer_required
def suivi_create(request, pk, ppk):
    participation = _participation(request, pk, ppk)
    initial = {}
    if request.GET.get("echeance"):
        initial["echeance"] = request.GET["echeance"]
    form = SuiviForm(request.POST or None, participation=participation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.suivi_record(participation=participation, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Suivi post-sortie enregistré.")
            return redirect("youth:participation_detail", pk=pk, ppk=ppk)
    return render(
        request,
        "youth/suivi_form.html",
        {"jeune": participation.jeune, "participation": participation, "form": form},
    )


@writer_required
def contrat_pdf(request, pk, ppk):
    from youth.pdf import render_contrat

    participation = _participation(request, pk, ppk)
    etapes = list(EtapePlan.objects.for_request(request).filter(jeune_id=pk))
    content = render_contrat(participation=participation, etapes=etapes, request=request)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="contrat-engagement-{participation.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Plan d'actions, freins, documents ------------------------------------------------------------------


def _back(jeune, anchor):
    return redirect(reverse("youth:jeune_detail", args=[jeune.pk]) + anchor)


@writer_required
def etape_create(request, pk):
    jeune = _jeune(request, pk)
    form = EtapeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        etape = form.save(commit=False)
        etape.jeune, etape.organisation = jeune, jeune.organisation
        etape.save()
        messages.success(request, "Étape ajoutée au plan d'actions.")
        return _back(jeune, "#plan")
    return render(request, "youth/simple_form.html", {"jeune": jeune, "form": form, "title": "Nouvelle étape"})


@writer_required
def etape_fait(request, pk, epk):
    jeune = _jeune(request, pk)
    etape = get_for_request_or_404(request, EtapePlan.objects.filter(jeune=jeune), pk=epk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    etape.fait_le = None if etape.fait_le else timezone.localdate()
    etape.save()
    return _back(jeune, "#plan")


@writer_required
def frein_create(request, pk):
    jeune = _jeune(request, pk)
    form = FreinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        frein = form.save(commit=False)
        frein.jeune, frein.organisation = jeune, jeune.organisation
        frein.save()
        messages.success(request, "Frein enregistré.")
        return _back(jeune, "#freins")
    return render(request, "youth/simple_form.html", {"jeune": jeune, "form": form, "title": "Nouveau frein"})


@writer_required
def frein_lever(request, pk, fpk):
    jeune = _jeune(request, pk)
    frein = get_for_request_or_404(request, Frein.objects.filter(jeune=jeune), pk=fpk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    frein.leve_le = None if frein.leve_le else timezone.localdate()
    frein.save()
    return _back(jeune, "#freins")


@writer_required
def document_create(request, pk):
    jeune = _jeune(request, pk)
    initial = {}
    if request.GET.get("participation"):
        initial = {"participation": request.GET["participation"], "kind": Document.Kind.PREUVE_SORTIE}
    form = DocumentForm(request.POST or None, request.FILES or None, jeune=jeune, initial=initial, request=request)
    if request.method == "POST" and form.is_valid():
        document = form.save(commit=False)
        document.jeune, document.organisation, document.created_by = jeune, jeune.organisation, request.user
        document.save()
        messages.success(request, "Document enregistré.")
        return _back(jeune, "#documents")
    return render(
        request,
        "youth/simple_form.html",
        {"jeune": jeune, "form": form, "title": "Nouveau document", "multipart": True},
    )


@writer_required
def document_download(request, pk, dpk):
    jeune = _jeune(request, pk)
    document = get_for_request_or_404(request, Document.objects.filter(jeune=jeune), pk=dpk)
    return protected_file_response(document.fichier)


# --- Printable summary --------------------------------------------------------------------------------------

SYNTHESE_ENTRETIENS = 5


@writer_required
def synthese_pdf(request, pk):
    """A one- or two-page summary for a meeting with the young person (no confidential entretien, no notes)."""
    from youth.pdf import render_synthese

    jeune = get_for_request_or_404(request, Jeune.objects.select_related("referent"), pk=pk)
    scope = request.scope
    content = render_synthese(
        jeune=jeune,
        participations=list(
            Participation.objects.for_scope(scope).filter(jeune=jeune).select_related("operation").order_by("pk")
        ),
        etapes=list(EtapePlan.objects.for_scope(scope).filter(jeune=jeune)),
        freins=list(Frein.objects.for_scope(scope).filter(jeune=jeune, leve_le=None)),
        entretiens=list(
            Entretien.objects.for_scope(scope)
            .filter(jeune=jeune, confidentielle=False)
            .select_related("auteur")
            .order_by("-date", "-pk")[:SYNTHESE_ENTRETIENS]
        ),
        organisation=request.organisation,
        request=request,
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="synthese-dossier-{jeune.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Correct, delete with a reason, restore (youth.records), merge duplicates (youth.merge) ----------------


RECORD_KINDS = {
    # kind: (model, « supprimer … », anchor on the dossier, edit form)
    "entretien": (Entretien, "l'entretien", "#timeline", EntretienForm),
    "etape": (EtapePlan, "l'étape du plan d'actions", "#plan", EtapeForm),
    "frein": (Frein, "le frein", "#freins", FreinForm),
    "document": (Document, "le document", "#documents", DocumentForm),
}


def _record(request, pk, rpk, kind):
    jeune = _jeune(request, pk)
    model = RECORD_KINDS[kind][0]
    return jeune, get_for_request_or_404(request, model.objects.filter(jeune=jeune), pk=rpk)


@writer_required
def record_update(request, pk, rpk, kind):
    """Correct a plan step, a frein or a document (the history keeps the previous version)."""
    jeune, obj = _record(request, pk, rpk, kind)
    _model, what, anchor, form_class = RECORD_KINDS[kind]
    refusal = records.edit_refusal(obj)
    if refusal:
        messages.error(request, refusal)
        return _back(jeune, anchor)
    kwargs = {"jeune": jeune, "request": request} if form_class is DocumentForm else {}
    form = form_class(request.POST or None, request.FILES or None, instance=obj, **kwargs)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Modification de {what} enregistrée (l'historique garde la version précédente).")
        return _back(jeune, anchor)
    return render(
        request,
        "youth/simple_form.html",
        {"jeune": jeune, "form": form, "title": f"Modifier {what}", "multipart": form_class is DocumentForm},
    )


def _delete_page(request, *, jeune, obj, what, back):
    form = MotifSuppressionForm(request.POST or None)
    refusal = records.delete_refusal(obj)
    allowed = records.may_delete(request.scope, obj)
    if request.method == "POST" and form.is_valid() and allowed and not refusal:
        try:
            records.delete(obj=obj, scope=request.scope, motif=form.cleaned_data["motif"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                f"Suppression de {what} enregistrée. La coordination peut le restaurer depuis la corbeille.",
            )
            return back
    status = 403 if request.method == "POST" and not allowed else 200
    return render(
        request,
        "youth/record_delete.html",
        {"jeune": jeune, "obj": obj, "what": what, "form": form, "refusal": refusal, "allowed": allowed},
        status=status,
    )


@writer_required
def record_delete(request, pk, rpk, kind):
    jeune, obj = _record(request, pk, rpk, kind)
    _model, what, anchor, _form = RECORD_KINDS[kind]
    return _delete_page(request, jeune=jeune, obj=obj, what=what, back=_back(jeune, anchor))


@writer_required
def jeune_delete(request, pk):
    """A dossier created by mistake (not entered in an operation; a duplicate is merged instead)."""
    jeune = _jeune(request, pk)
    return _delete_page(request, jeune=jeune, obj=jeune, what="ce dossier", back=redirect("youth:jeune_list"))


CORBEILLE_RELATED = ("jeune", "supprime_par", "seance__atelier", "version__questionnaire", "fusionne_dans")
CORBEILLE_PER_KIND = 200


def _related_paths(model):
    paths = []
    for path in CORBEILLE_RELATED:
        current = model
        try:
            for name in path.split("__"):
                current = current._meta.get_field(name).related_model
        except FieldDoesNotExist:  # the model has no such relation
            continue
        paths.append(path)
    return paths


@coordinateur_required
def corbeille(request):
    """The organisation's deleted records: who, when, why, and « Restaurer ». One query per kind of record."""
    items = []
    for model in records.soft_deletable_models():
        rows = (
            model.objects.for_request(request, deleted=True)
            .select_related(*_related_paths(model))
            .order_by("-supprime_le", "-pk")[:CORBEILLE_PER_KIND]
        )
        for obj in rows:
            items.append(
                {
                    "obj": obj,
                    "label": model._meta.label_lower,
                    "kind": str(model._meta.verbose_name).capitalize(),
                    "jeune": obj if isinstance(obj, Jeune) else getattr(obj, "jeune", None),
                    "fusionne": getattr(obj, "fusionne_dans", None),
                }
            )
    items.sort(key=lambda item: item["obj"].supprime_le, reverse=True)
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(request, "youth/corbeille.html", {"page": page})


@coordinateur_required
def corbeille_restore(request, label, rpk):
    models = {m._meta.label_lower: m for m in records.soft_deletable_models()}
    if label not in models:
        raise Http404("Type d'élément inconnu")
    obj = get_for_request_or_404(request, models[label], deleted=True, pk=rpk)
    if request.method != "POST":
        return redirect("youth:corbeille")
    try:
        records.restore(obj=obj, scope=request.scope)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{str(obj._meta.verbose_name).capitalize()} « {obj} » restauré(e).")
    return redirect("youth:corbeille")


@coordinateur_required
def jeune_merge(request, pk):
    """« Fusionner avec un autre dossier »: pick the duplicate (this organisation only), preview, confirm."""
    jeune = _jeune(request, pk)
    other = None
    if request.POST.get("avec") or request.GET.get("avec"):
        other = get_for_request_or_404(request, Jeune, pk=request.POST.get("avec") or request.GET.get("avec"))
    if other is None:
        query = request.GET.get("q", "").strip()
        suggestions = services.jeune_duplicates(
            organisation=jeune.organisation,
            nom=jeune.nom,
            prenom=jeune.prenom,
            date_naissance=jeune.date_naissance,
            telephone=jeune.telephone,
            email=jeune.email,
            exclude_pk=jeune.pk,
        )
        found = Jeune.objects.none()
        if query:
            found = (
                Jeune.objects.for_request(request)
                .matching_words(query)
                .filter(anonymised_at=None)
                .exclude(pk=jeune.pk)
                .order_by("nom", "prenom", "pk")
            )
        page = Paginator(found, 20).get_page(request.GET.get("page"))
        return render(
            request,
            "youth/jeune_merge.html",
            {"jeune": jeune, "suggestions": suggestions, "q": query, "page": page},
        )
    result = merge.plan(jeune, other)
    if request.method == "POST" and not result.refusal:
        try:
            merge.merge(kept=jeune, merged=other, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                f"Le dossier n° {other.pk} a été fusionné dans ce dossier ; la fusion figure dans l'historique.",
            )
            return redirect(jeune.get_absolute_url())
    return render(
        request,
        "youth/jeune_merge_preview.html",
        {"jeune": jeune, "other": other, "plan": result},
        status=422 if request.method == "POST" else 200,
    )
