from django import template

from core.emblem import eu_emblem_svg


register = template.Library()


@register.simple_tag
def eu_emblem(width=60):
    """``{% eu_emblem 60 %}``: the EU emblem as inline SVG (PDF documents of FSE-cofinanced operations)."""
    return eu_emblem_svg(width)
