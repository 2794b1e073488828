from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from core.permissions import Record, staff_required, write_required
from core.shortcuts import get_for_request_or_404
from core.sorting import filter_by_owner
from core.templatetags.fr import de
from core.uploads import protected_file_response
from workshops import pdf, services
from workshops.forms import (
    PRESENCE_CHOICES,
    AtelierForm,
    EmargementForm,
    ImmersionEvaluationForm,
    ImmersionForm,
    InscriptionForm,
    SeanceForm,
    add_service_errors,
    jeunes_choices,
)
from workshops.models import Atelier, Immersion, Inscription, Seance
from youth.forms import MotifSuppressionForm
from youth.records import may_delete


# Registrations not soft-deleted (core.softdelete), for counts through the relation.
LIVE = Q(inscriptions__supprime_le__isnull=True)


# Ateliers: every staff role; the chargé·e de relation entreprise manages immersions too (DESIGN.md roles).
atelier_roles = staff_required
immersion_roles = write_required(Record.IMMERSION)


def _seances(request):
    return Seance.objects.for_request(request)


@atelier_roles
def atelier_list(request):
    ateliers = (
        Atelier.objects.for_request(request)
        .select_related("operation")
        .annotate(nb_seances=Count("seances"))
        .order_by("-is_active", "intitule", "pk")
    )
    today = timezone.localdate()
    prochaines = (
        _seances(request)
        .filter(date__gte=today)
        .select_related("atelier")
        .annotate(nb_inscrits=Count("inscriptions", filter=LIVE))
        .order_by("date", "heure_debut", "pk")[:20]
    )
    return render(request, "workshops/atelier_list.html", {"ateliers": ateliers, "prochaines": prochaines})


@atelier_roles
def atelier_create(request):
    form = AtelierForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        atelier = form.save(commit=False)
        atelier.organisation = request.organisation
        atelier.save()
        messages.success(request, "Atelier ajouté au catalogue.")
        return redirect(atelier)
    return render(request, "workshops/atelier_form.html", {"form": form})


@atelier_roles
def atelier_update(request, pk):
    atelier = get_for_request_or_404(request, Atelier, pk=pk)
    form = AtelierForm(request.POST or None, instance=atelier, request=request)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Atelier modifié.")
        return redirect(atelier)
    return render(request, "workshops/atelier_form.html", {"form": form, "atelier": atelier})


@atelier_roles
def atelier_detail(request, pk):
    atelier = get_for_request_or_404(request, Atelier.objects.select_related("operation"), pk=pk)
    seances = atelier.seances.annotate(
        nb_inscrits=Count("inscriptions", filter=LIVE),
        nb_presents=Count("inscriptions", filter=LIVE & Q(inscriptions__presence=Inscription.Presence.PRESENT)),
    ).order_by("-date", "-heure_debut")
    page = Paginator(seances, 30).get_page(request.GET.get("page"))
    return render(request, "workshops/atelier_detail.html", {"atelier": atelier, "page": page})


@atelier_roles
def seance_create(request, pk):
    atelier = get_for_request_or_404(request, Atelier, pk=pk)
    form = SeanceForm(request.POST or None, initial={"capacite": 12, "animatrice": request.user.pk}, request=request)
    if request.method == "POST" and form.is_valid():
        seance = form.save(commit=False)
        seance.atelier = atelier
        seance.save()
        messages.success(request, "Séance créée : vous pouvez inscrire les jeunes.")
        return redirect(seance)
    return render(request, "workshops/seance_form.html", {"form": form, "atelier": atelier})


@atelier_roles
def seance_update(request, pk):
    seance = get_for_request_or_404(request, Seance.objects.select_related("atelier"), pk=pk)
    form = SeanceForm(request.POST or None, instance=seance, request=request)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Séance modifiée.")
        return redirect(seance)
    return render(request, "workshops/seance_form.html", {"form": form, "atelier": seance.atelier, "seance": seance})


# The registration <select> offers at most this many young people (alphabetical); a search narrows it.
# Without a bound, an organisation of 10 000 youth renders a 10 000-option list (bench/RESULTS.md).
MAX_JEUNES_PROPOSES = 200


def _inscription_form(request, seance, form=None):
    form = form or InscriptionForm(request=request)
    query = request.GET.get("jeune_q", "").strip()
    candidates = (
        jeunes_choices(request)
        .exclude(inscriptions_ateliers__in=seance.inscriptions.filter(supprime_le__isnull=True))
        .matching_words(query)
    )
    # The search field shows at most 20 matches; a sliced queryset could not be filtered by the chosen id.
    form.fields["jeune"].queryset = candidates
    return form, query


def _seance_page(request, seance, inscription_form=None, emargement_form=None, status=200):
    inscriptions = list(
        seance.inscriptions.filter(supprime_le__isnull=True)
        .select_related("jeune")
        .order_by("jeune__nom", "jeune__prenom", "pk")
    )
    inscription_form, jeune_q = _inscription_form(request, seance, inscription_form)
    context = {
        "seance": seance,
        "inscriptions": inscriptions,
        "places_restantes": max(seance.capacite - len(inscriptions), 0),
        "inscription_form": inscription_form,
        "jeune_q": jeune_q,
        "max_jeunes_proposes": MAX_JEUNES_PROPOSES,
        "emargement_form": emargement_form or EmargementForm(),
        "presence_choices": PRESENCE_CHOICES,
        "counts": {
            value: sum(1 for i in inscriptions if i.presence == value) for value in Inscription.Presence.values
        },
    }
    return render(request, "workshops/seance_detail.html", context, status=status)


@atelier_roles
def seance_detail(request, pk):
    seance = get_for_request_or_404(request, Seance.objects.select_related("atelier__operation"), pk=pk)
    return _seance_page(request, seance)


@atelier_roles
def inscription_create(request, pk):
    seance = get_for_request_or_404(request, Seance.objects.select_related("atelier__operation"), pk=pk)
    if request.method != "POST":
        return redirect(seance)
    form = InscriptionForm(request.POST, request=request)
    if form.is_valid():
        try:
            services.inscription_create(seance=seance, jeune=form.cleaned_data["jeune"], user=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{form.cleaned_data['jeune']} est inscrit·e à la séance.")
            return redirect(seance)
    return _seance_page(request, seance, inscription_form=form, status=422)


@atelier_roles
def inscription_delete(request, pk):
    inscription = get_for_request_or_404(request, Inscription.objects.select_related("seance", "jeune"), pk=pk)
    if not inscription.presence:  # before attendance: a registration is simply withdrawn
        if request.method != "POST":
            return redirect(inscription.seance)
        try:
            services.inscription_delete(inscription=inscription)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{inscription.jeune} n'est plus inscrit·e à la séance.")
        return redirect(inscription.seance)
    # After attendance: deleted with a reason (soft delete, in the corbeille), by its author or coordination.
    form = MotifSuppressionForm(request.POST or None)
    allowed = may_delete(request.scope, inscription)
    if request.method == "POST" and form.is_valid() and allowed:
        try:
            services.inscription_delete(inscription=inscription, scope=request.scope, motif=form.cleaned_data["motif"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, f"Inscription {de(inscription.jeune)} supprimée : la coordination peut la restaurer."
            )
            return redirect(inscription.seance)
    return render(
        request,
        "youth/record_delete.html",
        {
            "jeune": inscription.jeune,
            "obj": inscription,
            "what": "l'inscription (présence saisie)",
            "form": form,
            "refusal": None,
            "allowed": allowed,
        },
        status=403 if request.method == "POST" and not allowed else 200,
    )


@atelier_roles
def presences_update(request, pk):
    seance = get_for_request_or_404(request, Seance, pk=pk)
    if request.method != "POST":
        return redirect(seance)
    presences = {}
    for key, value in request.POST.items():
        if key.startswith("presence-"):
            try:
                presences[int(key.removeprefix("presence-"))] = value
            except ValueError:
                continue
    try:
        services.presences_record(seance=seance, presences=presences)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Présences enregistrées.")
    return redirect(seance)


@atelier_roles
def emargement_pdf(request, pk):
    seance = get_for_request_or_404(request, Seance.objects.select_related("atelier__operation"), pk=pk)
    inscriptions = (
        seance.inscriptions.filter(supprime_le__isnull=True)
        .select_related("jeune")
        .order_by("jeune__nom", "jeune__prenom", "pk")
    )
    content = pdf.emargement_pdf(seance=seance, inscriptions=inscriptions, organisation=request.organisation)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="emargement-{seance.date:%Y-%m-%d}-{seance.pk}.pdf"'
    return response


@atelier_roles
def emargement_upload(request, pk):
    seance = get_for_request_or_404(request, Seance.objects.select_related("atelier__operation"), pk=pk)
    if request.method != "POST":
        return redirect(seance)
    form = EmargementForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.emargement_upload(seance=seance, fichier=form.cleaned_data["fichier"])
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("fichier", message)
        else:
            messages.success(request, "Feuille d'émargement signée déposée.")
            return redirect(seance)
    return _seance_page(request, seance, emargement_form=form, status=422)


@atelier_roles
def emargement_download(request, pk):
    seance = get_for_request_or_404(request, Seance, pk=pk)
    return protected_file_response(seance.emargement_signe)


# --- Immersions -----------------------------------------------------------------------------------------


@immersion_roles
def immersion_list(request):
    immersions = (
        Immersion.objects.for_request(request).select_related("jeune", "entreprise").order_by("-date_debut", "-pk")
    )
    q = request.GET.get("q", "").strip()
    if q:
        immersions = immersions.filter(
            Q(jeune__nom__icontains=q) | Q(entreprise__nom__icontains=q) | Q(metier__icontains=q)
        )
    # "Voir tout" from a dossier or a company: ?jeune=<id> / ?entreprise=<id> (ids in scope by construction)
    immersions, filtre = filter_by_owner(request, immersions)
    page = Paginator(immersions, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "workshops/immersion_list.html",
        {"page": page, "q": q, "query": query.urlencode(), "filtre": filtre},
    )


def _immersion_form(request, immersion, template_context, initial=None):
    form = ImmersionForm(request.POST or None, instance=immersion, request=request, initial=initial)
    if request.method == "POST" and form.is_valid():
        immersion = form.save(commit=False)
        try:
            services.immersion_save(immersion=immersion, user=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Convention d'immersion enregistrée.")
            return redirect(immersion)
    status = 422 if form.errors else 200
    return render(request, "workshops/immersion_form.html", {"form": form, **template_context}, status=status)


@immersion_roles
def immersion_create(request):
    immersion = Immersion(organisation=request.organisation)
    initial = {}
    jeune_id = request.GET.get("jeune", "")
    if jeune_id.isdigit():  # from a dossier: preselect the young person, if in scope
        jeune = jeunes_choices(request).filter(pk=jeune_id).first()
        if jeune is not None:
            initial["jeune"] = jeune.pk
    return _immersion_form(request, immersion, {}, initial=initial)


@immersion_roles
def immersion_update(request, pk):
    immersion = get_for_request_or_404(request, Immersion, pk=pk)
    return _immersion_form(request, immersion, {"immersion": immersion})


@immersion_roles
def immersion_detail(request, pk):
    immersion = get_for_request_or_404(
        request, Immersion.objects.select_related("jeune", "entreprise", "renouvellement_de", "created_by"), pk=pk
    )
    return render(
        request,
        "workshops/immersion_detail.html",
        {"immersion": immersion, "evaluation_form": ImmersionEvaluationForm(instance=immersion)},
    )


@immersion_roles
def immersion_evaluate(request, pk):
    immersion = get_for_request_or_404(request, Immersion.objects.select_related("jeune", "entreprise"), pk=pk)
    form = ImmersionEvaluationForm(request.POST or None, instance=immersion)
    if request.method == "POST" and form.is_valid():
        try:
            services.immersion_evaluate(immersion=immersion, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Évaluation de l'immersion enregistrée.")
            return redirect(immersion)
    status = 422 if form.errors else 200
    return render(request, "workshops/immersion_evaluate.html", {"form": form, "immersion": immersion}, status=status)


@immersion_roles
def immersion_pdf(request, pk):
    immersion = get_for_request_or_404(request, Immersion.objects.select_related("jeune", "entreprise"), pk=pk)
    content = pdf.convention_pdf(immersion=immersion, organisation=request.organisation)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="convention-pmsmp-{immersion.pk}.pdf"'
    return response
