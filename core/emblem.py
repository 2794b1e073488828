"""The European Union emblem drawn in SVG from its geometric specification (no external image).

Specification (EU visual identity, « graphic specifications for the European emblem »): a blue rectangle whose width
is 1.5 times its height; twelve gold five-pointed stars, upright (one point straight up), placed like the hours of a
clock face on an invisible circle centred on the rectangle, of radius one third of the height; each star is inscribed
in a circle of radius one eighteenth of the height. Colours: Reflex Blue #003399, Yellow #FFCC00.
"""

import math

from django.utils.safestring import mark_safe


BLUE = "#003399"
YELLOW = "#FFCC00"
STAR_INNER_RATIO = math.cos(math.radians(72)) / math.cos(math.radians(36))  # regular pentagram: 0.381966…


def star_points(cx, cy, outer):
    """The 10 vertices of an upright regular five-pointed star centred on (cx, cy)."""
    inner = outer * STAR_INNER_RATIO
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = math.pi * i / 5
        points.append((cx + radius * math.sin(angle), cy - radius * math.cos(angle)))
    return points


def eu_emblem_svg(width=84, label="Drapeau de l'Union européenne"):
    height = width * 2 / 3
    cx, cy = width / 2, height / 2
    ring, outer = height / 3, height / 18
    stars = []
    for hour in range(12):
        angle = 2 * math.pi * hour / 12
        points = star_points(cx + ring * math.sin(angle), cy - ring * math.cos(angle), outer)
        stars.append('<polygon points="' + " ".join(f"{x:.3f},{y:.3f}" for x, y in points) + f'" fill="{YELLOW}"/>')
    return mark_safe(  # noqa: S308 - built from numbers and a constant label only
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height:.2f}" '
        f'viewBox="0 0 {width} {height:.3f}" role="img" aria-label="{label}">'
        f'<rect width="{width}" height="{height:.3f}" fill="{BLUE}"/>{"".join(stars)}</svg>'
    )
