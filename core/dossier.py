"""Panels on the dossier page (``/jeunes/<id>/``) contributed by apps below ``youth``.

``youth`` must not import diagnostics, workshops, funding aids…; those apps register a panel in
their ``AppConfig.ready``::

    from core import dossier
    dossier.register_panel("diagnostics", "Diagnostic", build_panel, order=20)

``build_panel(request, jeune)`` returns ``(template_name, context)`` or ``None`` to hide the panel. It must
run a bounded number of queries, and read only through ``for_user``.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    build: object
    order: int = 50


_panels = {}


def register_panel(key, title, build, order=50):
    _panels[key] = Panel(key=key, title=title, build=build, order=order)


def panels_for(request, jeune):
    """Rendered-ready panels: list of dicts with key, title, template and context."""
    result = []
    for panel in sorted(_panels.values(), key=lambda p: p.order):
        built = panel.build(request, jeune)
        if built is None:
            continue
        template, context = built
        result.append({"key": panel.key, "title": panel.title, "template": template, "context": context})
    return result
