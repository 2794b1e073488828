"""Contrat d'engagement (PDF, WeasyPrint). Small and synchronous: printed while the young person is present."""

from django.template.loader import render_to_string
from django.utils import timezone


def render_contrat(*, participation, etapes, request=None):
    from weasyprint import HTML

    html = render_to_string(
        "youth/contrat_pdf.html",
        {
            "participation": participation,
            "jeune": participation.jeune,
            "operation": participation.operation,
            "organisation": participation.organisation,
            "etapes": etapes,
            "today": timezone.localdate(),
        },
    )
    base_url = request.build_absolute_uri("/") if request is not None else None
    return HTML(string=html, base_url=base_url).write_pdf()


def render_synthese(*, jeune, participations, etapes, freins, entretiens, organisation, request=None):
    """The one- or two-page summary printed for a meeting with the young person: identity, parcours, plan,
    freins, the last entretiens' next steps. Confidential entretiens and notes are never printed."""
    from weasyprint import HTML

    html = render_to_string(
        "youth/synthese_pdf.html",
        {
            "jeune": jeune,
            "participations": participations,
            "etapes": etapes,
            "freins": freins,
            "entretiens": entretiens,
            "organisation": organisation,
            "today": timezone.localdate(),
        },
    )
    base_url = request.build_absolute_uri("/") if request is not None else None
    return HTML(string=html, base_url=base_url).write_pdf()
