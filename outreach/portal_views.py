"""Partner portal (``/portail/``): a partner sees and manages only its own organisation's orientations.

Everything starts from ``Orientation.objects.for_request(request)`` (partenaire = the current organisation).
The partner sees the *status* of an accepted orientation (entered, exited with the exit category) and nothing
else of the dossier.
"""

import csv

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from core.permissions import partenaire_required
from core.shortcuts import get_for_request_or_404
from core.uploads import protected_file_response
from outreach import services
from outreach.forms import AnswerForm, MessageForm, OrientationDocumentForm, OrientationForm, OrientationSubmitMixin
from outreach.models import Orientation, OrientationDocument, PartenariatOrientation
from outreach.views import page_query
from youth.models import CATEGORIE_LABELS, Participation, categorie_sortie


PAGE_SIZE = 30

# What the partner may filter on: the feedback states (not the internal ones).
SUIVI_FILTRES = [
    ("brouillon", "Brouillons"),
    ("recue", "Reçues"),
    ("en_examen", "En cours d'examen"),
    ("acceptee", "Acceptées"),
    ("refusee", "Refusées"),
    ("retiree", "Retirées"),
]


def _participations_prefetch():
    # Only the fields the feedback needs (entry, exit, exit situation): no other dossier data is loaded.
    return Prefetch(
        "jeune__participations",
        queryset=Participation.objects.feedback_fields(),
    )


def _portal_orientations(request):
    return (
        Orientation.objects.for_request(request)
        .select_related("organisation")
        .prefetch_related(_participations_prefetch())
    )


def _filtered(request, queryset):
    q = request.GET.get("q", "").strip()
    if q:
        queryset = queryset.filter(Q(nom__icontains=q) | Q(prenom__icontains=q))
    statut = request.GET.get("statut", "")
    if statut in dict(SUIVI_FILTRES):
        queryset = queryset.filter(statut=statut)
    else:
        statut = ""
    return queryset, q, statut


def _stats(request):
    """Counts on the partner's own incoming orientations: 2 queries whatever their number."""
    from django.db.models import Count

    base = Orientation.objects.for_request(request).filter(sens=Orientation.Sens.ENTRANTE)
    by_statut = dict(base.values_list("statut").annotate(n=Count("pk")).order_by())
    participations = (
        Participation.objects.feedback_of(base.filter(statut=Orientation.Statut.ACCEPTEE))
        .filter(date_entree__isnull=False)
        .values_list("jeune_id", "date_sortie", "situation_sortie")
    )
    entered, exited = set(), {}
    for jeune_id, date_sortie, situation in participations:
        entered.add(jeune_id)
        if date_sortie:
            exited[jeune_id] = categorie_sortie(situation)
    sorties = dict.fromkeys(CATEGORIE_LABELS, 0)
    for categorie in exited.values():
        sorties[categorie] += 1
    envoyees = sum(n for s, n in by_statut.items() if s != Orientation.Statut.BROUILLON)
    return {
        "envoyees": envoyees,
        "en_attente": by_statut.get("recue", 0) + by_statut.get("en_examen", 0),
        "acceptees": by_statut.get("acceptee", 0),
        "refusees": by_statut.get("refusee", 0),
        "brouillons": by_statut.get("brouillon", 0),
        "entrees": len(entered),
        "sorties": [(CATEGORIE_LABELS[k], v) for k, v in sorties.items()],
        "sorties_total": len(exited),
    }


@partenaire_required
def home(request):
    orientations = _portal_orientations(request).filter(sens=Orientation.Sens.ENTRANTE).order_by("-created_at", "-pk")
    orientations, q, statut = _filtered(request, orientations)
    page = Paginator(orientations, PAGE_SIZE).get_page(request.GET.get("page"))
    a_repondre = (
        Orientation.objects.for_request(request)
        .filter(sens=Orientation.Sens.SORTANTE, statut__in=Orientation.OUVERTES)
        .count()
    )
    has_partner = PartenariatOrientation.objects.for_request(request).actifs().exists()
    context = {
        "page": page,
        "q": q,
        "statut": statut,
        "filtres": SUIVI_FILTRES,
        "stats": _stats(request),
        "a_repondre": a_repondre,
        "has_partner": has_partner,
        "query": page_query(request),
    }
    return render(request, "portal/home.html", context)


@partenaire_required
def export_csv(request):
    orientations = _portal_orientations(request).filter(sens=Orientation.Sens.ENTRANTE).order_by("-created_at", "-pk")
    orientations, _q, _statut = _filtered(request, orientations)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="orientations-{timezone.localdate():%Y-%m-%d}.csv"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["n°", "nom", "prénom", "date de naissance", "structure", "envoyée le", "urgence", "suivi"])
    for o in orientations:
        writer.writerow(
            [
                _cell(v)
                for v in (
                    o.pk,
                    o.nom,
                    o.prenom,
                    f"{o.date_naissance:%d/%m/%Y}",
                    str(o.organisation or ""),
                    f"{timezone.localtime(o.soumise_le):%d/%m/%Y}" if o.soumise_le else "",
                    o.get_urgence_display(),
                    o.suivi[1],
                )
            ]
        )
    return response


def _cell(value):
    """Neutralise spreadsheet formulas in exported text (CSV injection)."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _is_valid(request, form):
    """Field errors and the checks of a sending, all in one round (not the attestations after the fields)."""
    valid = form.is_valid()
    if "envoyer" in request.POST:
        valid = OrientationSubmitMixin.check_submit(form) and valid
    return valid


def _save_orientation(request, form, orientation=None):
    envoyer = "envoyer" in request.POST
    if envoyer and not OrientationSubmitMixin.check_submit(form):
        return None
    orientation = form.save(commit=False)
    if orientation.pk is None:
        orientation.partenaire = request.organisation
        orientation.created_by = request.user
        orientation.sens = Orientation.Sens.ENTRANTE
        orientation.statut = Orientation.Statut.BROUILLON
    orientation.save()
    if envoyer:
        try:
            services.orientation_submit(orientation=orientation, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return orientation
        messages.success(request, f"Orientation envoyée à {orientation.organisation}.")
    else:
        messages.success(request, "Brouillon enregistré. Vous pouvez ajouter des pièces jointes puis l'envoyer.")
    return orientation


@partenaire_required
def orientation_create(request):
    form = OrientationForm(request.POST or None, request=request)
    if request.method == "POST" and _is_valid(request, form):
        orientation = _save_orientation(request, form)
        if orientation is not None:
            return redirect("portal:orientation_detail", pk=orientation.pk)
    return render(request, "portal/orientation_form.html", {"form": form})


def _portal_orientation(request, pk):
    return get_for_request_or_404(request, _portal_orientations(request).select_related("jeune"), pk=pk)


@partenaire_required
def orientation_edit(request, pk):
    orientation = _portal_orientation(request, pk)
    if not orientation.est_modifiable:
        messages.error(request, "Cette orientation a été envoyée : elle n'est plus modifiable.")
        return redirect("portal:orientation_detail", pk=orientation.pk)
    form = OrientationForm(request.POST or None, instance=orientation, request=request)
    if request.method == "POST" and _is_valid(request, form):
        saved = _save_orientation(request, form, orientation)
        if saved is not None:
            return redirect("portal:orientation_detail", pk=orientation.pk)
    return render(request, "portal/orientation_form.html", {"form": form, "orientation": orientation})


def _orientation_page(request, orientation, document_form=None, status=200):
    context = {
        "orientation": orientation,
        "documents": orientation.documents.all(),
        "fil": orientation.messages.select_related("auteur", "auteur_organisation"),
        "message_form": MessageForm(),
        "document_form": document_form or OrientationDocumentForm(),
        "answer_form": AnswerForm(),
    }
    return render(request, "portal/orientation_detail.html", context, status=status)


@partenaire_required
def orientation_detail(request, pk):
    return _orientation_page(request, _portal_orientation(request, pk))


@partenaire_required
def orientation_submit(request, pk):
    orientation = _portal_orientation(request, pk)
    if request.method == "POST":
        try:
            services.orientation_submit(orientation=orientation, user=request.user)
            messages.success(request, f"Orientation envoyée à {orientation.organisation}.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect("portal:orientation_detail", pk=orientation.pk)


@partenaire_required
def orientation_withdraw(request, pk):
    orientation = _portal_orientation(request, pk)
    if request.method == "POST":
        try:
            services.orientation_withdraw(orientation=orientation, user=request.user)
            messages.success(request, "Orientation retirée.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect("portal:orientation_detail", pk=orientation.pk)


@partenaire_required
def orientation_message(request, pk):
    orientation = _portal_orientation(request, pk)
    if request.method == "POST":
        form = MessageForm(request.POST)
        if orientation.statut == Orientation.Statut.BROUILLON:
            messages.error(request, "Envoyez d'abord l'orientation pour échanger avec la structure.")
        elif form.is_valid():
            services.orientation_message_post(
                orientation=orientation,
                user=request.user,
                organisation=request.organisation,
                texte=form.cleaned_data["texte"],
            )
            messages.success(request, "Message envoyé.")
        else:
            messages.error(request, "Le message est vide.")
    return redirect("portal:orientation_detail", pk=orientation.pk)


@partenaire_required
def document_add(request, pk):
    orientation = _portal_orientation(request, pk)
    if request.method != "POST":
        return redirect("portal:orientation_detail", pk=orientation.pk)
    form = OrientationDocumentForm(request.POST, request.FILES)
    if orientation.statut in (Orientation.Statut.REFUSEE, Orientation.Statut.RETIREE):
        messages.error(request, "Cette orientation est close.")
    elif form.is_valid():
        document = form.save(commit=False)
        document.orientation = orientation
        document.deposant = request.user
        document.save()
        messages.success(request, f"Pièce « {document} » ajoutée.")
    else:  # the page again, with the description typed and the errors next to the fields
        return _orientation_page(request, orientation, document_form=form, status=422)
    return redirect("portal:orientation_detail", pk=orientation.pk)


@partenaire_required
def document_download(request, pk):
    document = get_for_request_or_404(request, OrientationDocument, pk=pk)
    return protected_file_response(document.fichier)


@partenaire_required
def recues(request):
    """Young people a porteur oriented to this partner (outward orientations), to answer."""
    orientations = (
        Orientation.objects.for_request(request)
        .filter(sens=Orientation.Sens.SORTANTE)
        .select_related("organisation")
        .order_by("-soumise_le", "-pk")
    )
    orientations, q, statut = _filtered(request, orientations)
    page = Paginator(orientations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/recues.html", {"page": page, "q": q, "query": page_query(request)})


@partenaire_required
def orientation_answer(request, pk):
    orientation = _portal_orientation(request, pk)
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                services.orientation_answer(
                    orientation=orientation,
                    user=request.user,
                    accept=form.cleaned_data["decision"] == "acceptee",
                    motif=form.cleaned_data["motif"],
                )
                messages.success(request, "Réponse transmise à la structure.")
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        else:
            messages.error(request, "Indiquez le motif du refus.")
    return redirect("portal:orientation_detail", pk=orientation.pk)


@login_not_required
@never_cache
def invitation_accept(request, token):
    """Public page of the invitation link: the invited person chooses a password."""
    from outreach.forms import InvitationAcceptForm

    invitation = services.invitation_from_token(token)
    if invitation is None:
        return render(request, "portal/invitation_invalid.html", status=404)
    form = InvitationAcceptForm(
        request.POST or None,
        email=invitation.email,
        initial={"first_name": invitation.first_name, "last_name": invitation.last_name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                invitation=invitation,
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
        except ValidationError:
            return render(request, "portal/invitation_invalid.html", status=404)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Bienvenue ! Votre compte {invitation.partenaire} est prêt.")
        return redirect("portal:home")
    return render(request, "portal/invitation_accept.html", {"form": form, "invitation": invitation})
