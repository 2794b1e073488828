"""Operations, objectives, budget and resources (coordination only: other roles get 403, other organisations 404)."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.shortcuts import redirect, render

from core.permissions import coordinateur_required
from core.shortcuts import get_for_request_or_404
from funding.finance import budget_summary
from funding.forms import (
    LigneBudgetaireInlineFormSet,
    ObjectifInlineFormSet,
    OperationForm,
    RessourceInlineFormSet,
    TauxCoutsIndirectsForm,
)
from funding.models import Objectif, Operation


def _operation_or_404(request, pk):
    return get_for_request_or_404(request, Operation.objects.select_related("organisation"), pk=pk)


@coordinateur_required
def operation_list(request):
    operations = list(
        Operation.objects.for_request(request)
        .prefetch_related("lignes_budgetaires", "ressources")
        .annotate(nb_participations=Count("participations", distinct=True))
        .order_by("-is_active", "-date_debut", "code")
    )
    rows = [
        {
            "operation": operation,
            "finance": budget_summary(
                operation,
                lignes=list(operation.lignes_budgetaires.all()),
                ressources=list(operation.ressources.all()),
            ),
        }
        for operation in operations
    ]
    return render(request, "funding/operation_list.html", {"rows": rows})


@coordinateur_required
def operation_detail(request, pk):
    operation = _operation_or_404(request, pk)
    objectifs = list(Objectif.objects.filter(operation=operation).order_by("annee", "indicateur"))
    return render(
        request,
        "funding/operation_detail.html",
        {
            "operation": operation,
            "objectifs_globaux": [o for o in objectifs if o.annee is None],
            "objectifs_annuels": [o for o in objectifs if o.annee is not None],
            "finance": budget_summary(operation),
        },
    )


@coordinateur_required
def operation_create(request):
    form = OperationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        operation = form.save(commit=False)
        operation.organisation = request.organisation
        operation.save()
        messages.success(request, f"Opération {operation.code} créée.")
        return redirect("funding:operation_detail", pk=operation.pk)
    return render(request, "funding/operation_form.html", {"form": form, "operation": None})


@coordinateur_required
def operation_edit(request, pk):
    operation = _operation_or_404(request, pk)
    form = OperationForm(request.POST or None, instance=operation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Opération enregistrée.")
        return redirect("funding:operation_detail", pk=operation.pk)
    return render(request, "funding/operation_form.html", {"form": form, "operation": operation})


def _edit_formset(request, pk, formset_class, template, success, titles, extra_form_class=None):
    operation = _operation_or_404(request, pk)
    data = request.POST if request.method == "POST" else None
    formset = formset_class(data, instance=operation)
    extra_form = extra_form_class(data, instance=operation) if extra_form_class else None
    if data is not None and formset.is_valid() and (extra_form is None or extra_form.is_valid()):
        with transaction.atomic():
            formset.save()
            if extra_form is not None:
                extra_form.save()
        messages.success(request, success)
        return redirect("funding:operation_detail", pk=operation.pk)
    return render(
        request,
        template,
        {
            "operation": operation,
            "formset": formset,
            "extra_form": extra_form,
            "page_title": titles[0],
            "caption": titles[1],
        },
    )


@coordinateur_required
def objectifs_edit(request, pk):
    return _edit_formset(
        request,
        pk,
        ObjectifInlineFormSet,
        "funding/objectif_form.html",
        "Objectifs enregistrés.",
        ("Objectifs", "Objectifs : laissez l'année vide pour une cible sur toute l'opération"),
    )


@coordinateur_required
def budget_edit(request, pk):
    return _edit_formset(
        request,
        pk,
        LigneBudgetaireInlineFormSet,
        "funding/lignebudgetaire_form.html",
        "Budget enregistré.",
        ("Budget", "Lignes budgétaires : montants prévus et réalisés"),
        extra_form_class=TauxCoutsIndirectsForm,
    )


@coordinateur_required
def ressources_edit(request, pk):
    return _edit_formset(
        request,
        pk,
        RessourceInlineFormSet,
        "funding/ressource_form.html",
        "Ressources enregistrées.",
        ("Ressources", "Ressources : FSE, cofinancements et autofinancement"),
    )
