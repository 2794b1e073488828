from django import template

from core.templatetags.fr import nombre


register = template.Library()

NON_COLLECTE = "non collecté"
SANS_OBJET = "sans objet"


@register.filter
def indicateur(value, code=""):
    """An indicator value: « non collecté » (never 0) when its data were not collected, « sans objet » for an entity
    indicator of the 2014-2020 set."""
    from reports.programmes import SANS_OBJET as CODES_SANS_OBJET

    if value is None:
        return SANS_OBJET if code in CODES_SANS_OBJET else NON_COLLECTE
    return nombre(value)
