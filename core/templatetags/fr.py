"""French number formatting for templates and PDFs: ``{{ montant|euros }}`` → ``1 006 076,00 €``."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template


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
