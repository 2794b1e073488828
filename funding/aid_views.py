"""Material aids: list, grant, edit (conseillère, coordination) and consumption against caps (coordination)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from core.permissions import coordinateur_required, get_for_user_or_404, role_required
from funding import aid_services
from funding.aid_forms import AideForm, form_participations
from funding.models import Aide, AideKind, LigneBudgetaire, Operation


aide_roles = role_required(Role.CONSEILLERE, Role.COORDINATEUR)


def _add_errors(form, exc):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _year(request):
    value = request.GET.get("annee", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year


@aide_roles
def aide_list(request):
    year = _year(request)
    aides = (
        Aide.objects.for_user(request.user)
        .filter(organisation=request.organisation, date_attribution__year=year)
        .select_related("participation__jeune", "participation__operation", "ligne_budgetaire")
        .order_by("-date_attribution", "-pk")
    )
    kind = request.GET.get("kind", "")
    if kind in AideKind.values:
        aides = aides.filter(kind=kind)
    page = Paginator(aides, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "funding/aide_list.html",
        {"page": page, "year": year, "kind": kind, "kinds": AideKind.choices, "role": request.membership.role},
    )


def _aide_form(request, aide, context):
    initial = {}
    if aide.pk is None:
        initial["date_attribution"] = timezone.localdate()
        if request.GET.get("participation", "").isdigit():
            initial["participation"] = request.GET["participation"]
        elif request.GET.get("jeune", "").isdigit():
            # From the dossier: preselect the young person's latest participation (choices stay scoped).
            latest = (
                form_participations(request)
                .filter(jeune_id=request.GET["jeune"])
                .order_by("-date_entree", "-pk")
                .first()
            )
            if latest is not None:
                initial["participation"] = latest.pk
        if request.GET.get("kind") in AideKind.values:
            initial["kind"] = request.GET["kind"]
    form = AideForm(request.POST or None, instance=aide, initial=initial, request=request)
    if request.method == "POST" and form.is_valid():
        aide = form.save(commit=False)
        try:
            aid_services.aide_save(aide=aide, user=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request, f"Aide « {aide.get_kind_display()} » enregistrée pour {aide.participation.jeune}."
            )
            return redirect("funding:aides:aide_list")
    status = 422 if form.errors else 200
    return render(request, "funding/aide_form.html", {"form": form, **context}, status=status)


@aide_roles
def aide_create(request):
    return _aide_form(request, Aide(organisation=request.organisation), {})


@aide_roles
def aide_update(request, pk):
    aide = get_for_user_or_404(request, Aide.objects.select_related("participation__operation"), pk=pk)
    return _aide_form(request, aide, {"aide": aide})


@coordinateur_required
def aide_consommation(request):
    year = _year(request)
    operations = Operation.objects.for_user(request.user).filter(organisation=request.organisation).order_by("code")
    blocs = aid_services.consommation(operations=operations, year=year)
    return render(
        request,
        "funding/aide_consommation.html",
        {"blocs": blocs, "year": year, "participants": LigneBudgetaire.Categorie.PARTICIPANTS},
    )


# --- Dossier (registered by workshops.apps) -------------------------------------------------------------

AIDE_READERS = {Role.CONSEILLERE, Role.COORDINATEUR}


def _aides_du_jeune(jeune, user):
    """The young person's aids, loaded once per dossier page (memoised on the ``jeune`` instance)."""
    cache = jeune.__dict__.setdefault("_dossier_memo", {})
    key = ("aides", getattr(user, "pk", None))
    if key not in cache:
        cache[key] = list(
            Aide.objects.for_user(user)
            .filter(participation__jeune=jeune)
            .select_related("participation__operation", "ligne_budgetaire")
            .order_by("-date_attribution", "-pk")[:100]
        )
    return cache[key]


def timeline_events(jeune, user):
    from core.timeline import Event

    return [
        Event(
            when=aide.date_attribution,
            kind="aide",
            title=f"Aide matérielle : {aide.get_kind_display()} ({aide.participation.operation.code})",
            detail=aide.description,
            url=reverse("funding:aides:aide_update", args=[aide.pk]),
            icon="gift",
            extra={"montant": str(aide.montant)},
        )
        for aide in _aides_du_jeune(jeune, user)
    ]


def build_panel(request, jeune):
    membership = getattr(request, "membership", None)
    if membership is None or membership.role not in AIDE_READERS:
        return None
    return "funding/aide_panel.html", {"jeune": jeune, "aides": _aides_du_jeune(jeune, request.user)[:50]}
