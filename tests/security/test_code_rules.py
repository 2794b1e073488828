"""Static rules the bandit configuration relies on (pyproject.toml [tool.bandit] skips B308/B703/B608)."""

import re
from pathlib import Path

from django.conf import settings


SOURCE_DIRS = [
    "config",
    "core",
    "privacy",
    "youth",
    "outreach",
    "diagnostics",
    "workshops",
    "employers",
    "funding",
    "reports",
]
JUSTIFIED = re.compile(r"#\s*(noqa: S\d+\s*-\s*\S|nosec)")


def _source_lines():
    base = Path(settings.BASE_DIR)
    for directory in SOURCE_DIRS:
        for path in (base / directory).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            lines = path.read_text(encoding="utf-8").splitlines()
            for number, line in enumerate(lines, start=1):
                # a justification may sit on the call line or on the line that opens the expression
                context = line + " " + (lines[number - 2] if number > 1 else "")
                yield path.relative_to(base), number, line, context


def test_every_mark_safe_call_is_justified():
    missing = [
        f"{path}:{number}"
        for path, number, line, context in _source_lines()
        if re.search(r"\bmark_safe\(", line)
        and not line.lstrip().startswith(("#", "from ", "import "))
        and not JUSTIFIED.search(context)
    ]
    assert missing == [], "mark_safe sans justification « # noqa: S308 - raison » : " + ", ".join(missing)


def test_raw_sql_built_from_strings_is_justified():
    pattern = re.compile(r"""f["'](UPDATE|SELECT|INSERT|DELETE)\b""", re.IGNORECASE)
    missing = [
        f"{path}:{number}"
        for path, number, line, context in _source_lines()
        if pattern.search(line.strip()) and not JUSTIFIED.search(context)
    ]
    assert missing == [], "SQL construit par f-string sans justification « # noqa: S608 - raison » : " + ", ".join(
        missing
    )


def test_the_rule_detects_an_unjustified_call():
    assert JUSTIFIED.search("return mark_safe(x)  # noqa: S308 - escaped above")
    assert not JUSTIFIED.search("return mark_safe(x)")
    assert not JUSTIFIED.search("return mark_safe(x)  # noqa: S308")
