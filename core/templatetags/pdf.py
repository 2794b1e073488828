from django import template

from core.emblem import eu_emblem_svg


register = template.Library()


@register.simple_tag
def eu_emblem(width=60):
    """``{% eu_emblem 60 %}``: the EU emblem as inline SVG (PDF documents of FSE-cofinanced operations)."""
    return eu_emblem_svg(width)


@register.simple_tag
def organisation_logo_uri(organisation):
    """The organisation's logo as a ``data:`` URI (PDF headers and the settings page; storage-independent, and the
    CSP allows ``data:`` images), or "" when there is none or it cannot be read."""
    import base64

    from core.uploads import sniff_content_type

    logo = getattr(organisation, "logo", None)
    if not logo:
        return ""
    try:
        with logo.open("rb") as handle:
            content_type = sniff_content_type(handle)
            handle.seek(0)
            data = handle.read()
    except (FileNotFoundError, OSError, ValueError):
        return ""
    if content_type not in {"image/png", "image/jpeg"}:
        return ""
    return f"data:{content_type};base64,{base64.b64encode(data).decode()}"
