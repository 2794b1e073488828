"""The agenda (/agenda/): week and day of a conseillère, rendez-vous and their status, the iCalendar feed."""

import contextlib
import copy
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from agenda import feed, services
from agenda.display import decorate
from agenda.forms import RendezVousForm, SemaineForm, membres_agenda
from agenda.models import FluxAgenda, RendezVous
from core.permissions import Record, read_required, write_required
from core.shortcuts import get_for_request_or_404
from workshops.models import Seance
from youth import services as youth_services
from youth.forms import EntretienForm
from youth.models import Jeune


rdv_read = read_required(Record.RENDEZ_VOUS)
rdv_write = write_required(Record.RENDEZ_VOUS)
JOURS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


def _add_errors(form, exc, default=None):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            if field == "debut":
                field = "jour"
            form.add_error(field if field in form.fields else default, errors)
    else:
        form.add_error(default, exc)


def _next(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


# --- The agenda ---------------------------------------------------------------------------------------------


@rdv_read
def agenda(request):
    params = SemaineForm(request.GET)
    params.is_valid()
    data = params.cleaned_data if params.is_valid() else {}
    today = timezone.localdate()
    jour = data.get("date") or today
    vue = data.get("vue") or "semaine"
    membres = list(membres_agenda(request.organisation))
    cible = request.user
    if data.get("conseillere") and data["conseillere"] != request.user.pk:
        cible = next((m for m in membres if m.pk == data["conseillere"]), None)
        if cible is None:
            raise Http404("Cette personne n'a pas d'agenda dans votre organisation.")
    if vue == "jour":
        start, nb_jours, pas = jour, 1, datetime.timedelta(days=1)
    else:
        start, nb_jours, pas = jour - datetime.timedelta(days=jour.weekday()), 7, datetime.timedelta(days=7)
    end = start + datetime.timedelta(days=nb_jours)
    rendez_vous = (
        RendezVous.objects.for_request(request)
        .filter(
            conseillere=cible,
            debut__gte=services.combine(start, datetime.time.min),
            debut__lt=services.combine(end, datetime.time.min),
        )
        .select_related("jeune")
        .order_by("debut", "pk")
    )
    seances = (
        Seance.objects.for_request(request)
        .filter(animatrice=cible, date__gte=start, date__lt=end)
        .select_related("atelier")
        .order_by("date", "heure_debut", "pk")
    )
    days = {start + datetime.timedelta(days=i): [] for i in range(nb_jours)}
    for rdv in rendez_vous:
        debut = timezone.localtime(rdv.debut)
        days[debut.date()].append({"kind": "rdv", "heure": debut.time(), "rdv": decorate(rdv, today)})
    for seance in seances:
        days[seance.date].append({"kind": "seance", "heure": seance.heure_debut, "seance": seance})
    jours = [
        {
            "date": day,
            "nom": JOURS[day.weekday()],
            "today": day == today,
            "items": sorted(items, key=lambda item: item["heure"]),
        }
        for day, items in days.items()
    ]

    def query(**changes):
        values = {"vue": vue, "date": jour.isoformat()}
        if cible.pk != request.user.pk:
            values["conseillere"] = cible.pk
        values.update(changes)
        return "?" + "&".join(f"{key}={value}" for key, value in values.items() if value)

    return render(
        request,
        "agenda/agenda.html",
        {
            "jours": jours,
            "vue": vue,
            "jour": jour,
            "start": start,
            "end": end - datetime.timedelta(days=1),
            "cible": cible,
            "moi": cible.pk == request.user.pk,
            "membres": membres,
            "precedent": query(date=(jour - pas).isoformat()),
            "suivant": query(date=(jour + pas).isoformat()),
            "aujourdhui": query(date=today.isoformat()),
            "vue_jour": query(vue="jour"),
            "vue_semaine": query(vue="semaine"),
            "can_write": request.scope.writes(Record.RENDEZ_VOUS),
            "retour": request.get_full_path(),
        },
    )


# --- Rendez-vous ---------------------------------------------------------------------------------------------


@rdv_write
def rendez_vous_create(request):
    initial = {}
    if request.GET.get("jeune", "").isdigit():
        initial["jeune"] = int(request.GET["jeune"])
    if request.GET.get("date"):
        with contextlib.suppress(ValueError):
            initial["jour"] = datetime.date.fromisoformat(request.GET["date"])
    form = RendezVousForm(request.POST or None, initial=initial, request=request)
    if request.method == "POST" and form.is_valid():
        try:
            rdv = services.planifier(
                jeune=form.cleaned_data["jeune"],
                cree_par=request.user,
                **form.service_fields(),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            debut = timezone.localtime(rdv.debut)
            messages.success(request, f"Rendez-vous planifié le {debut:%d/%m/%Y à %H:%M} avec {rdv.jeune.prenom}.")
            return redirect(_next(request, rdv.jeune.get_absolute_url() + "#panel-rendez_vous"))
    status = 422 if form.errors else 200
    return render(request, "agenda/rendez_vous_form.html", {"form": form, "next": _next(request, "")}, status=status)


def _rendez_vous(request, pk):
    return get_for_request_or_404(
        request, RendezVous.objects.select_related("jeune", "conseillere", "entretien", "planifie_depuis"), pk=pk
    )


@rdv_read
def rendez_vous_detail(request, pk):
    rdv = decorate(_rendez_vous(request, pk))
    historique = list(rdv.history.select_related("history_user").order_by("-history_date", "-history_id")[:20])
    return render(
        request,
        "agenda/rendez_vous_detail.html",
        {
            "rdv": rdv,
            "historique": historique,
            "can_write": request.scope.writes(Record.RENDEZ_VOUS),
            "retour": request.get_full_path(),
        },
    )


@rdv_write
def rendez_vous_update(request, pk):
    rdv = _rendez_vous(request, pk)
    if rdv.statut != RendezVous.Statut.PLANIFIE:
        messages.error(request, "Seul un rendez-vous planifié peut être modifié.")
        return redirect("agenda:rendez_vous_detail", pk=rdv.pk)
    # The form works on a copy: the service compares the saved values with the new ones (the signal's changes).
    form = RendezVousForm(request.POST or None, instance=copy.copy(rdv), request=request)
    if request.method == "POST" and form.is_valid():
        try:
            services.modifier(rdv, **form.service_fields())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Rendez-vous modifié.")
            return redirect("agenda:rendez_vous_detail", pk=rdv.pk)
    status = 422 if form.errors else 200
    return render(request, "agenda/rendez_vous_form.html", {"form": form, "rdv": rdv}, status=status)


@rdv_write
def rendez_vous_statut(request, pk):
    rdv = _rendez_vous(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    nouveau = request.POST.get("statut", "")
    if nouveau not in RendezVous.Statut.values:
        messages.error(request, "Statut inconnu.")
    else:
        try:
            services.changer_statut(rdv, nouveau)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            day = timezone.localtime(rdv.debut)
            messages.success(request, f"Rendez-vous du {day:%d/%m/%Y} : {rdv.get_statut_display().lower()}.")
    return redirect(_next(request, reverse("agenda:rendez_vous_detail", args=[rdv.pk])))


@rdv_write
def rendez_vous_entretien(request, pk):
    """Log the entretien of an honoured rendez-vous: youth's entretien form, pre-filled, linked to it."""
    rdv = _rendez_vous(request, pk)
    if rdv.entretien_id:
        messages.info(request, "L'entretien de ce rendez-vous est déjà noté.")
        return redirect(rdv.jeune.get_absolute_url() + "#timeline")
    if rdv.statut not in (RendezVous.Statut.HONORE, RendezVous.Statut.PLANIFIE) or (
        timezone.localtime(rdv.debut).date() > timezone.localdate()
    ):
        messages.error(request, "Seul un rendez-vous honoré (ou du jour) peut donner lieu à un entretien.")
        return redirect("agenda:rendez_vous_detail", pk=rdv.pk)
    jeune = get_for_request_or_404(request, Jeune, pk=rdv.jeune_id)
    form = EntretienForm(request.POST or None, initial=services.entretien_initial(rdv))
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                entretien = youth_services.entretien_create(
                    jeune=jeune,
                    auteur=request.user,
                    prochain_rdv_debut=form.prochain_rdv_debut,
                    **form.cleaned_data,
                )
                services.lier_entretien(rdv, entretien)
        except ValidationError as exc:
            _add_errors(form, exc, "prochain_rdv")
        else:
            messages.success(request, "Entretien enregistré depuis le rendez-vous.")
            return redirect(jeune.get_absolute_url() + "#timeline")
    status = 422 if form.errors else 200
    return render(
        request, "youth/entretien_form.html", {"jeune": jeune, "form": form, "rendez_vous": rdv}, status=status
    )


# --- The iCalendar feed ---------------------------------------------------------------------------------------


@rdv_read
def flux(request):
    token_url = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "creer":
            _flux, token = feed.creer_flux(request.scope)
            token_url = request.build_absolute_uri(reverse("agenda:flux_ics", args=[token]))
        elif action == "revoquer":
            if feed.revoquer_flux(request.scope):
                messages.success(request, "Le lien de votre agenda est révoqué : il ne répond plus.")
            return redirect("agenda:flux")
    actif = (
        FluxAgenda.objects.for_request(request)
        .filter(user=request.user, revoque_le__isnull=True)
        .order_by("-cree_le")
        .first()
    )
    return render(request, "agenda/flux.html", {"actif": actif, "token_url": token_url})


@login_not_required
def flux_ics(request, token):
    """The feed itself: the token is the authorisation; unknown, revoked or deactivated → 404."""
    flux, scope = feed.scope_for_token(token)
    if flux is None:
        raise Http404("Flux inconnu ou révoqué")
    body = feed.calendrier(
        scope,
        flux.user,
        lien=lambda rdv: request.build_absolute_uri(reverse("agenda:rendez_vous_detail", args=[rdv.pk])),
    )
    FluxAgenda.objects.for_scope(scope).filter(pk=flux.pk).update(dernier_acces_le=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="agenda.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
