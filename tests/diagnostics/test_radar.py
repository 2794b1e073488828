import math
import re

import pytest

from diagnostics.radar import Series, axis_angle, describe, fmt, point, radar_svg, wrap


CX, CY, R = 100, 100, 80


def test_point_places_values_on_their_axis():
    # 4 axes: up, right, down, left (clockwise from the top).
    assert point(0, 4, 4, cx=CX, cy=CY, radius=R, lo=0, hi=4) == (100.0, 20.0)
    assert point(1, 4, 2, cx=CX, cy=CY, radius=R, lo=0, hi=4) == (140.0, 100.0)
    assert point(2, 4, 1, cx=CX, cy=CY, radius=R, lo=0, hi=4) == (100.0, 120.0)
    assert point(3, 4, 3, cx=CX, cy=CY, radius=R, lo=0, hi=4) == (40.0, 100.0)


def test_point_missing_and_out_of_range_values():
    assert point(1, 4, None, cx=CX, cy=CY, radius=R, lo=0, hi=4) == (100.0, 100.0)
    assert point(1, 4, 0, cx=CX, cy=CY, radius=R, lo=0, hi=4) == (100.0, 100.0)
    assert point(1, 4, 9, cx=CX, cy=CY, radius=R, lo=0, hi=4) == (180.0, 100.0)  # clamped to the scale
    # A scale that does not start at 0: 1..5, value 3 is half way.
    assert point(0, 4, 3, cx=CX, cy=CY, radius=R, lo=1, hi=5) == (100.0, 60.0)


def test_axis_angle_is_clockwise_from_the_top():
    assert axis_angle(0, 12) == pytest.approx(-math.pi / 2)
    assert axis_angle(3, 12) == pytest.approx(0)


def polygons(svg, key):
    group = re.search(rf'<g class="radar-serie radar-{key}">(.*?)</g>', svg).group(1)
    points = re.search(r'<polygon points="([^"]+)"', group).group(1)
    return [tuple(float(c) for c in pair.split(",")) for pair in points.split()], group


def test_radar_svg_series_points_match_values():
    labels = ["Mobilité", "Famille", "Hygiène de vie", "Justice"]
    svg = str(
        radar_svg(
            labels,
            [Series("entree", "Entrée (01/03/2025)", (4, 2, None, 0)), Series("sortie", "Sortie", (4, 4, 4, 4))],
            title="Diagnostic",
            uid="t",
        )
    )
    # Geometry of radar_svg: margin 150, top 70, radius 190 → centre (340, 260).
    pts, group = polygons(svg, "entree")
    assert pts == [(340.0, 70.0), (435.0, 260.0), (340.0, 260.0), (340.0, 260.0)]
    assert group.count("<rect") == 3  # one square marker per answered value, none for « non renseigné »
    assert 'stroke-dasharray="7 4"' in group
    pts, group = polygons(svg, "sortie")
    assert pts == [(340.0, 70.0), (530.0, 260.0), (340.0, 450.0), (150.0, 260.0)]
    assert group.count("<polygon") == 1 + 4  # the area + a triangle marker per value


def test_radar_svg_accessibility_labels_and_legend():
    svg = str(
        radar_svg(
            ["Connaissance des institutions et vie pratique", "Mobilité", "Famille"],
            [Series("entree", "Entrée", (1.5, None, 3)), Series("derniere", "Dernière", (2, 2, 2))],
            title="Radar de Léa",
            uid="lea",
        )
    )
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert 'role="img"' in svg
    assert 'aria-labelledby="lea-titre lea-desc"' in svg
    assert '<title id="lea-titre">Radar de Léa</title>' in svg
    desc = re.search(r'<desc id="lea-desc">(.*?)</desc>', svg).group(1)
    assert "Entrée : Connaissance des institutions et vie pratique 1,5 ; Mobilité non renseigné ; Famille 3,0." in desc
    assert "Dernière : " in desc
    # Long labels are wrapped into tspans, every label is present.
    assert "<tspan" in svg
    assert ">Connaissance des<" in svg
    assert ">Mobilité<" in svg
    assert ">Famille<" in svg
    # Legend: one entry per series.
    assert ">Entrée</text>" in svg
    assert ">Dernière</text>" in svg
    # Grid: one ring per scale step (1..4) and one line per axis, from the centre.
    grid = re.search(r'<g class="radar-grille"[^>]*>(.*?)</g>', svg).group(1)
    assert grid.count("<polygon") == 4
    assert grid.count('<line x1="340.0" y1="260.0"') == 3
    assert "style=" not in svg
    assert "<script" not in svg


def test_radar_svg_escapes_user_text():
    svg = str(radar_svg(['<script>alert("x")</script>', "B", "C"], [Series("entree", "A & B", (1, 2, 3))]))
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "A &amp; B" in svg


def test_radar_without_axes():
    svg = str(radar_svg([], [], title="Vide"))
    assert "Aucun axe à afficher" in svg
    assert 'role="img"' in svg


def test_helpers():
    assert fmt(2.5) == "2,5"
    assert fmt(3) == "3,0"
    assert fmt(None) == "non renseigné"
    assert wrap("Connaissance du monde de l'entreprise") == ["Connaissance du", "monde de", "l'entreprise"]
    assert describe(["A"], [Series("x", "S", (None,))]) == "S : A non renseigné."
