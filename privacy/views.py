"""RGPD pages: processing register, and the rights of a young person (access, rectification, erasure)."""

import json

from django.conf import settings
from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods

from core.permissions import Record, coordinateur_required, staff_required
from core.shortcuts import get_for_request_or_404
from privacy import pdf, retention, rights


def _jeune(request, pk):
    return get_for_request_or_404(request, retention.jeune_model(), pk=pk)


def _rectification_url(jeune):
    for name in ("youth:jeune_update", "youth:jeune_edit", "youth:jeune_modifier"):
        try:
            return reverse(name, kwargs={"pk": jeune.pk})
        except NoReverseMatch:
            continue
    return jeune.get_absolute_url()


def _organisation_details(organisation):
    """The register's controller and DPO lines from the organisation's settings (/organisation/parametres/): each
    value, or None when coordination has not filled it in yet."""

    def join(*parts, sep=", "):
        return sep.join(p for p in parts if p) or None

    return {
        "structure": join(
            organisation.raison_sociale or organisation.nom,
            f"SIRET {organisation.siret}" if organisation.siret else "",
        ),
        "adresse": join(organisation.adresse, join(organisation.code_postal, organisation.commune, sep=" ")),
        "representant": join(organisation.representant_nom, organisation.representant_qualite),
        "responsable": join(organisation.responsable_traitement_nom, organisation.responsable_traitement_email),
        "dpo": join(organisation.dpo_nom, organisation.dpo_email),
    }


@staff_required
def registre(request):
    from core.collecte import REGISTRE_COLLECTE

    context = {
        "registre": settings.TREMPLIN_PROCESSING_REGISTER,
        "details": _organisation_details(request.organisation),
        "collecte": REGISTRE_COLLECTE,
        "settings_url": reverse("team:settings"),
        "peut_completer": request.scope.writes(Record.COMPTES),
    }
    return render(request, "security/registre.html", context)


@coordinateur_required
def jeune_rights(request, pk):
    jeune = _jeune(request, pk)
    context = {
        "jeune": jeune,
        "refusal": rights.erasure_refusal(jeune),
        "rectification_url": _rectification_url(jeune),
    }
    return render(request, "security/rgpd_jeune.html", context)


@coordinateur_required
def jeune_export_json(request, pk):
    jeune = _jeune(request, pk)
    payload = json.dumps(rights.export_json(jeune), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="donnees-jeune-{jeune.pk}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@coordinateur_required
def jeune_export_pdf(request, pk):
    jeune = _jeune(request, pk)
    content = pdf.export_pdf(jeune, rights.collect(jeune))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="donnees-jeune-{jeune.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@coordinateur_required
@require_http_methods(["GET", "POST"])
def jeune_erase(request, pk):
    jeune = _jeune(request, pk)
    refusal = rights.erasure_refusal(jeune)
    if request.method == "POST":
        if refusal:
            messages.error(request, refusal)
            return redirect("privacy:jeune_rights", pk=jeune.pk)
        if request.POST.get("confirmation") != "EFFACER":
            messages.error(request, "Saisissez EFFACER en majuscules pour confirmer l'effacement.")
            return redirect("privacy:jeune_erase", pk=jeune.pk)
        outcome = rights.jeune_erase(jeune=jeune)
        if outcome == "supprime":
            messages.success(request, f"Les données du dossier n° {pk} ont été effacées.")
        else:
            messages.success(
                request,
                f"Le dossier n° {pk} a été anonymisé (des enregistrements comptables doivent être conservés).",
            )
        return redirect("/")
    return render(request, "security/rgpd_erase.html", {"jeune": jeune, "refusal": refusal})
