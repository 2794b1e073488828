"""Printable documents (WeasyPrint): the attendance sheet of a session and the PMSMP convention.

Both are one or two pages and render in well under a second, so the views build them directly.
"""

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML


def _render(template, context):
    html = render_to_string(template, {**context, "genere_le": timezone.localtime()})
    return HTML(string=html).write_pdf()


def emargement_pdf(*, seance, inscriptions, organisation):
    lignes = list(inscriptions)
    # A few blank rows for walk-ins, up to the session's capacity.
    vides = range(max(min(seance.capacite - len(lignes), 5), 2))
    return _render(
        "workshops/emargement_pdf.html",
        {"seance": seance, "inscriptions": lignes, "vides": vides, "organisation": organisation},
    )


def convention_pdf(*, immersion, organisation):
    return _render("workshops/immersion_convention_pdf.html", {"immersion": immersion, "organisation": organisation})
