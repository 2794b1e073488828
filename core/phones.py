"""Phone numbers (``phonenumbers``): a French number read as typed, stored readable, sent to in E.164.

``normalise("0612345678")`` → ``"06 12 34 56 78"`` (national form for France, international form otherwise),
``e164("06 12 34 56 78")`` → ``"+33612345678"``, ``can_receive_sms(...)``: a mobile number.
Overseas departments (Réunion, Guadeloupe, Martinique, Guyane, Mayotte) are recognised from their national form.
"""

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType


REGIONS = ("FR", "RE", "GP", "MQ", "GF", "YT")
SMS_TYPES = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}


class InvalidPhoneNumber(ValueError):
    pass


def parse(value):
    """The ``PhoneNumber`` for ``value``, or raise ``InvalidPhoneNumber``."""
    text = (value or "").strip()
    if not text:
        raise InvalidPhoneNumber(value)
    for region in REGIONS:
        try:
            number = phonenumbers.parse(text, region)
        except NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return number
        if text.startswith("+"):
            break  # an international number is the same whatever the region
    raise InvalidPhoneNumber(value)


def normalise(value):
    """The readable stored form: ``06 12 34 56 78`` in France (overseas too), ``+44 7911 123456`` abroad."""
    number = parse(value)
    if phonenumbers.region_code_for_number(number) in REGIONS:
        return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


def e164(value):
    """``+33612345678``, or None when ``value`` is not a valid number."""
    try:
        return phonenumbers.format_number(parse(value), PhoneNumberFormat.E164)
    except InvalidPhoneNumber:
        return None


def can_receive_sms(value):
    """A valid mobile number (a landline, a short or an invalid number cannot receive an SMS)."""
    try:
        return phonenumbers.number_type(parse(value)) in SMS_TYPES
    except InvalidPhoneNumber:
        return False
