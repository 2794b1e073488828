from decimal import Decimal

from core.templatetags.fr import euros, nombre, pourcent


def test_french_amounts_and_rates():
    assert euros(Decimal("1006076")) == "1\u00a0006\u00a0076,00\u00a0€"
    assert euros(Decimal("-15060.5")) == "-15\u00a0060,50\u00a0€"
    assert nombre(330) == "330"
    assert pourcent(Decimal("0.6")) == "60,00\u00a0%"
    assert pourcent(Decimal("1.0125")) == "101,25\u00a0%"
    assert euros(None) == "—"
