"""Readable PDF of everything held on a young person (right of access), via WeasyPrint."""

from django.template.loader import render_to_string
from django.utils import timezone


def export_pdf(jeune, sections):
    from weasyprint import HTML

    html = render_to_string(
        "security/rgpd_export_pdf.html", {"jeune": jeune, "sections": sections, "now": timezone.now()}
    )
    return HTML(string=html).write_pdf()
