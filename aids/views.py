"""Material aids: list, grant, edit (conseillère, coordination) and consumption against caps (coordination)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone

from aids import services as aid_services
from aids.forms import AideForm, form_participations
from core.permissions import Record, coordinateur_required, write_required
from core.shortcuts import get_for_request_or_404
from funding.models import Aide, AideKind, LigneBudgetaire, Operation


aide_roles = write_required(Record.AIDE)


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
        Aide.objects.for_request(request)
        .filter(date_attribution__year=year)
        .select_related("participation__jeune", "participation__operation", "ligne_budgetaire")
        .order_by("-date_attribution", "-pk")
    )
    kind = request.GET.get("kind", "")
    if kind in AideKind.values:
        aides = aides.filter(kind=kind)
    page = Paginator(aides, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "aids/aide_list.html",
        {"page": page, "year": year, "kind": kind, "kinds": AideKind.choices, "role": request.scope.role},
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
            return redirect("aids:aide_list")
    status = 422 if form.errors else 200
    return render(request, "aids/aide_form.html", {"form": form, **context}, status=status)


@aide_roles
def aide_create(request):
    return _aide_form(request, Aide(organisation=request.organisation), {})


@aide_roles
def aide_update(request, pk):
    aide = get_for_request_or_404(request, Aide.objects.select_related("participation__operation"), pk=pk)
    return _aide_form(request, aide, {"aide": aide})


@coordinateur_required
def aide_consommation(request):
    year = _year(request)
    operations = Operation.objects.for_request(request).order_by("code")
    blocs = aid_services.consommation(scope=request.scope, operations=operations, year=year)
    return render(
        request,
        "aids/aide_consommation.html",
        {"blocs": blocs, "year": year, "participants": LigneBudgetaire.Categorie.PARTICIPANTS},
    )
