"""French number formatting for templates and PDFs: ``{{ montant|euros }}`` → ``1 006 076,00 €``."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


register = template.Library()

NBSP = "\u00a0"


def format_number(value, decimals=0):
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return ""
    quant = Decimal(1).scaleb(-decimals)
    number = number.quantize(quant, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    integer, _, fraction = f"{abs(number):f}".partition(".")
    groups = []
    while integer:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    text = NBSP.join(groups) or "0"
    if decimals:
        text += "," + fraction.ljust(decimals, "0")[:decimals]
    return sign + text


@register.filter
def euros(value, decimals=2):
    if value is None or value == "":
        return "—"
    return f"{format_number(value, int(decimals))}{NBSP}€"


@register.filter
def nombre(value, decimals=0):
    if value is None or value == "":
        return "—"
    return format_number(value, int(decimals))


@register.filter
def pourcent(value, decimals=2):
    """A ratio (0.6 → 60,00 %)."""
    if value is None or value == "":
        return "—"
    return f"{format_number(Decimal(str(value)) * 100, int(decimals))}{NBSP}%"


ELISION_LETTERS = "aàâäeéèêëiîïoôöuùûüœæh"


def article_de(name):
    """ "d'" before a vowel or a mute h (Inès, Alphonse, Hugo, Yves), "de " otherwise (Yanis, Léa)."""
    text = str(name).strip()
    first = text[:1].lower()
    if first in ELISION_LETTERS or (first == "y" and text[1:2].lower() not in "aeiouéè"):
        return "d'"
    return "de "


def de(name):
    """« dossier {de(jeune)} » → « dossier d'Inès Martin », « dossier de Léa Dupré » (élision)."""
    return f"{article_de(name)}{name}"


@register.filter(name="de", needs_autoescape=True)
def de_filter(name, autoescape=True):
    """``{{ jeune|de }}``: the name is escaped, the apostrophe of the article is not."""
    text = conditional_escape(name) if autoescape else str(name)
    return mark_safe(f"{article_de(name)}{text}")  # noqa: S308 - the only variable part is escaped


@register.filter(name="article_de")
def article_de_filter(name):
    """Only the article, when the name itself is marked up: « dossier {{ j.prenom|article_de }}<a>…</a> »."""
    return mark_safe(article_de(name))  # noqa: S308 - a constant
