"""The printable evaluation sheet (WeasyPrint, A4). Small enough to build in the request."""

from django.template.loader import render_to_string
from weasyprint import HTML

from diagnostics.scoring import single_radar


def evaluation_sheet_html(evaluation, resultat, entree=None):
    """``entree``: the entry evaluation's Resultat, overlaid on the radar and shown as a column (optional)."""
    return render_to_string(
        "diagnostics/pdf/evaluation_fiche.html",
        {
            "evaluation": evaluation,
            "resultat": resultat,
            "entree": entree,
            "svg": single_radar(resultat, uid=f"radar-fiche-{evaluation.pk}", entree=entree),
        },
    )


def evaluation_sheet_pdf(evaluation, resultat, entree=None, request=None):
    html = evaluation_sheet_html(evaluation, resultat, entree=entree)
    base_url = request.build_absolute_uri("/") if request is not None else None
    return HTML(string=html, base_url=base_url).write_pdf()
