"""Server-rendered radar (spider) charts as inline SVG: no JavaScript, no external service.

``radar_svg`` is used by the dossier panel, the evaluation page, the printable sheet (WeasyPrint) and the bilan.
Each axis i of n sits at angle ``-90° + i × 360° / n`` (the first axis points up, then clockwise); a value v on
the scale [lo, hi] is drawn at distance ``R × (v − lo) / (hi − lo)`` from the centre. A missing value
(« non renseigné ») is drawn at the centre and gets no marker; the text alternative says « non renseigné ».

The SVG carries ``role="img"`` with ``<title>`` and ``<desc>`` (a full text reading of the values); pages also
show a table with the same values. Colours are doubled by line patterns (dashes) and marker shapes so the
series stay distinguishable without colour vision. Only presentation attributes are used (no ``style``),
so the markup is CSP-friendly and renders the same in WeasyPrint.
"""

import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe


@dataclass(frozen=True)
class Series:
    key: str  # "entree", "derniere", "sortie" (picks the style)
    label: str  # shown in the legend, e.g. "Entrée (12/03/2025)"
    values: tuple  # one value (float or None) per axis


STYLES = {
    "entree": {"stroke": "#8a4b08", "fill": "#f0ad4e", "dash": "7 4", "marker": "square"},
    "derniere": {"stroke": "#0b5ed7", "fill": "#6ea8fe", "dash": "", "marker": "circle"},
    "sortie": {"stroke": "#146c43", "fill": "#75b798", "dash": "2 3", "marker": "triangle"},
}
DEFAULT_STYLE = {"stroke": "#495057", "fill": "#adb5bd", "dash": "", "marker": "circle"}

SIZE = 260  # radius area; the drawing is (SIZE * 2 + margins) wide
LABEL_CHARS = 20  # wrap axis labels around this many characters


def fmt(value, decimals=1):
    """French decimal: 2.5 → « 2,5 »; None → « non renseigné »."""
    if value is None:
        return "non renseigné"
    return f"{value:.{decimals}f}".replace(".", ",")


def axis_angle(index, count):
    return -math.pi / 2 + 2 * math.pi * index / count


def point(index, count, value, *, cx, cy, radius, lo, hi):
    """Coordinates of ``value`` on axis ``index`` of ``count`` (None → centre)."""
    ratio = 0.0 if value is None or hi == lo else (min(max(value, lo), hi) - lo) / (hi - lo)
    angle = axis_angle(index, count)
    return (round(cx + radius * ratio * math.cos(angle), 1), round(cy + radius * ratio * math.sin(angle), 1))


def wrap(label, width=LABEL_CHARS):
    lines, current = [], ""
    for word in label.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return lines or [""]


def describe(labels, series):
    """Text reading of the chart, used as ``<desc>``."""
    parts = []
    for serie in series:
        values = " ; ".join(f"{label} {fmt(v)}" for label, v in zip(labels, serie.values, strict=True))
        parts.append(f"{serie.label} : {values}.")
    return " ".join(parts)


def _marker(shape, x, y, style):
    common = f'fill="{style["stroke"]}" stroke="#ffffff" stroke-width="1"'
    if shape == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" {common}/>'
    if shape == "triangle":
        corners = f"{x:.1f},{y - 4.5:.1f} {x + 4.5:.1f},{y + 3.5:.1f} {x - 4.5:.1f},{y + 3.5:.1f}"
        return f'<polygon points="{corners}" {common}/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.8" {common}/>'


def radar_svg(labels, series, *, lo=0, hi=4, title="Radar", desc=None, uid="radar", width=None):
    """Return the ``<svg>`` markup (safe string) overlaying ``series`` on ``labels`` axes, scale [lo, hi]."""
    labels = [str(label) for label in labels]
    count = len(labels)
    margin_x, margin_top = 150, 70
    radius = SIZE / 2 + 60  # 190
    cx, cy = margin_x + radius, margin_top + radius
    view_w = int(2 * (margin_x + radius))
    legend_y = int(cy + radius + 70)
    view_h = legend_y + 22 * max(len(series), 1) + 10
    title_id, desc_id = f"{uid}-titre", f"{uid}-desc"
    desc = describe(labels, series) if desc is None else desc
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="radar" role="img" viewBox="0 0 {view_w} {view_h}" '
        f'width="{width or "100%"}" preserveAspectRatio="xMidYMid meet" '
        f'aria-labelledby="{title_id} {desc_id}" font-family="DejaVu Sans, Arial, sans-serif">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(desc)}</desc>',
    ]
    if count == 0:
        out.append(f'<text x="{cx}" y="{cy}" text-anchor="middle" font-size="14">Aucun axe à afficher</text></svg>')
        return mark_safe("".join(out))  # noqa: S308 - every interpolated text is escaped above

    # Grid: one ring per scale step, the axes, the step numbers on the first axis.
    out.append('<g class="radar-grille" fill="none" stroke="#ced4da" stroke-width="1">')
    for step in range(lo + 1, hi + 1):
        ring = [point(i, count, step, cx=cx, cy=cy, radius=radius, lo=lo, hi=hi) for i in range(count)]
        out.append(f'<polygon points="{" ".join(f"{x},{y}" for x, y in ring)}"/>')
    for i in range(count):
        x, y = point(i, count, hi, cx=cx, cy=cy, radius=radius, lo=lo, hi=hi)
        out.append(f'<line x1="{cx}" y1="{cy}" x2="{x}" y2="{y}"/>')
    out.append("</g>")
    out.append('<g class="radar-echelle" font-size="11" fill="#495057" aria-hidden="true">')
    for step in range(lo, hi + 1):
        x, y = point(0, count, step, cx=cx, cy=cy, radius=radius, lo=lo, hi=hi)
        out.append(f'<text x="{x + 4}" y="{y - 3}">{step}</text>')
    out.append("</g>")

    # Series: translucent polygon, dashed outline, a marker on every answered value.
    for serie in series:
        style = STYLES.get(serie.key, DEFAULT_STYLE)
        pts = [point(i, count, v, cx=cx, cy=cy, radius=radius, lo=lo, hi=hi) for i, v in enumerate(serie.values)]
        dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
        out.append(f'<g class="radar-serie radar-{escape(serie.key)}">')
        out.append(
            f'<polygon points="{" ".join(f"{x},{y}" for x, y in pts)}" fill="{style["fill"]}" fill-opacity="0.18" '
            f'stroke="{style["stroke"]}" stroke-width="2.5"{dash}/>'
        )
        for (x, y), value in zip(pts, serie.values, strict=True):
            if value is not None:
                out.append(_marker(style["marker"], x, y, style))
        out.append("</g>")

    # Axis labels, wrapped, anchored away from the centre.
    out.append('<g class="radar-axes" font-size="13" fill="#212529">')
    for i, label in enumerate(labels):
        angle = axis_angle(i, count)
        lx = cx + (radius + 14) * math.cos(angle)
        ly = cy + (radius + 14) * math.sin(angle)
        cos = math.cos(angle)
        anchor = "middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end")
        lines = wrap(label)
        sin = math.sin(angle)
        if sin < -0.3:
            first_dy = -(len(lines) - 1) * 15 - 2
        elif sin > 0.3:
            first_dy = 11
        else:
            first_dy = -(len(lines) - 1) * 7.5 + 4
        out.append(f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}">')
        for n, line in enumerate(lines):
            dy = first_dy if n == 0 else 15
            out.append(f'<tspan x="{lx:.1f}" dy="{dy}">{escape(line)}</tspan>')
        out.append("</text>")
    out.append("</g>")

    # Legend.
    out.append('<g class="radar-legende" font-size="13" fill="#212529">')
    for n, serie in enumerate(series):
        style = STYLES.get(serie.key, DEFAULT_STYLE)
        y = legend_y + 22 * n
        x0 = view_w / 2 - 150
        dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
        out.append(
            f'<line x1="{x0:.1f}" y1="{y - 4}" x2="{x0 + 36:.1f}" y2="{y - 4}" stroke="{style["stroke"]}" '
            f'stroke-width="2.5"{dash}/>'
        )
        out.append(_marker(style["marker"], x0 + 18, y - 4, style))
        out.append(f'<text x="{x0 + 46:.1f}" y="{y}">{escape(serie.label)}</text>')
    out.append("</g></svg>")
    return mark_safe("".join(out))  # noqa: S308 - every interpolated text is escaped above
