"""Layout rules checked on the templates themselves (the browser tests measure the pages they visit)."""

import re
from pathlib import Path

from django.conf import settings


TEMPLATES = Path(settings.BASE_DIR) / "templates"
WRAPPER = re.compile(r"<div class=\"[^\"]*\btable-responsive\b[^\"]*\">\s*$")


def test_every_table_of_a_web_page_scrolls_in_its_own_box():
    """A table wider than a phone (finance, diagnostic) scrolls inside .table-responsive instead of being cut."""
    unwrapped = []
    for path in TEMPLATES.rglob("*.html"):
        if "pdf" in path.name or "pdf" in path.parts or "print" in path.name:  # printed pages have no viewport
            continue
        text = path.read_text()
        for match in re.finditer(r"<table\b", text):
            if not WRAPPER.search(text[: match.start()]):
                unwrapped.append(f"{path.relative_to(TEMPLATES)}:{text.count(chr(10), 0, match.start()) + 1}")
    assert unwrapped == []


def test_ids_in_templates_are_never_printed_with_a_thousands_separator():
    """``{{ jeune.pk }}`` printed « 2 211 » past a thousand (USE_THOUSAND_SEPARATOR): ?jeune= links, option
    values and the organisation switcher then named no record. Ids are printed with stringformat or unlocalize."""
    bare = re.compile(r"\{\{ *[a-z_.]*\.(pk|id|[a-z_]+_id) *\}\}")
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*.html")
        for match in bare.finditer(path.read_text())
        if not match.group(0).rstrip("} ").endswith("auto_id")
    ]
    assert offenders == []
