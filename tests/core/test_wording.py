"""French wording: élision, one operation label, one page-number style, current institution names."""

from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template

from core.templatetags.fr import de
from diagnostics.questionnaires import DEFAULTS
from funding.models import Operation


TEMPLATES = Path(settings.BASE_DIR) / "templates"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Inès Martin", "d'Inès Martin"),
        ("Alphonse Dupré", "d'Alphonse Dupré"),
        ("Hugo Petit", "d'Hugo Petit"),
        ("Yves Leroy", "d'Yves Leroy"),
        ("Élodie Roux", "d'Élodie Roux"),
        ("Yanis Ben", "de Yanis Ben"),
        ("Léa Dupré", "de Léa Dupré"),
    ],
)
def test_de_elides_before_a_vowel(name, expected):
    assert de(name) == expected
    assert Template("{% load fr %}dossier {{ name|de }}").render(Context({"name": name})) == f"dossier {expected}"


def test_operation_label_does_not_repeat_the_code():
    assert Operation(code="NOE", intitule="NOE – Nouvel Objectif Emploi").libelle == "NOE – Nouvel Objectif Emploi"
    assert str(Operation(code="EME", intitule="Emploi Entreprises")) == "EME — Emploi Entreprises"
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if ".code }} — {{" in path.read_text() and ".intitule }}" in path.read_text()
    ]
    assert offenders == []


def test_one_page_number_style_in_every_pdf():
    offenders = [str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html") if '" / " counter' in p.read_text()]
    assert offenders == []


def test_no_former_institution_names_and_no_bare_positive_badge():
    items = [item for *_rest, structure in DEFAULTS for _axe, axe_items in structure for item in axe_items]
    assert not [item for item in items if "Pôle Emploi" in item]
    assert any("France Travail" in item for item in items)
    assert ">positive</span>" not in (TEMPLATES / "reports" / "bilan_operation.html").read_text()


def test_de_filter_escapes_the_name():
    rendered = Template("{% load fr %}{{ name|de }}").render(Context({"name": "<b>Inès</b>"}))
    assert rendered == "de &lt;b&gt;Inès&lt;/b&gt;"
