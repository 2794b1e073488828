"""Known vulnerabilities in the locked dependencies (requirements.txt and requirements-dev.txt), with pip-audit.

pip-audit alone cannot tell "no vulnerability" from "nothing was audited": when its vulnerability service does not
answer for a package (per-release data missing on a PyPI mirror, no network), it skips the package and still prints
"No known vulnerabilities found" with exit code 0; when the service is unreachable it crashes with exit code 1, like
a real finding. This script reads pip-audit's JSON report and decides:

- exit 1: at least one known vulnerability (listed, with the fixed versions);
- exit 0: every locked package was audited and none is vulnerable;
- the vulnerability data could not be reached (or only part of the packages were audited): a French warning
  in a frame, then exit 0, or exit 2 with AUDIT_STRICT=1 (for a release pipeline that must not ship unaudited).

Usage: python scripts/audit.py [LOCK_FILE …]   (default: requirements.txt requirements-dev.txt)
Environment: AUDIT_STRICT=1, AUDIT_IGNORE="ID1 ID2" (vulnerabilities reviewed and accepted, see README),
PIP_AUDIT_SERVICE (pypi by default, or osv), PIP_AUDIT_TIMEOUT (seconds, 15 by default).
"""

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LOCKS = ("requirements.txt", "requirements-dev.txt")
EXIT_VULNERABLE = 1
EXIT_UNAUDITED_STRICT = 2


@dataclass
class Verdict:
    audited: int = 0
    vulnerabilities: list = field(default_factory=list)  # (name, version, id, fix_versions)
    skipped: list = field(default_factory=list)  # (name, reason)
    error: str = ""  # pip-audit produced no report (crash, service unreachable)

    @property
    def complete(self):
        return not self.error and not self.skipped and self.audited > 0


def classify(report, error=""):
    """Turn pip-audit's JSON report (a dict, or None when it produced none) into a Verdict."""
    if report is None:
        return Verdict(error=error or "pip-audit n'a produit aucun rapport")
    verdict = Verdict()
    for dependency in report.get("dependencies", []):
        if dependency.get("skip_reason"):
            verdict.skipped.append((dependency["name"], dependency["skip_reason"]))
            continue
        verdict.audited += 1
        for vuln in dependency.get("vulns", []):
            verdict.vulnerabilities.append(
                (dependency["name"], dependency.get("version", "?"), vuln["id"], vuln.get("fix_versions", []))
            )
    return verdict


def run_pip_audit(locks):
    pip_audit = Path(sys.executable).with_name("pip-audit")
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "audit.json"
        command = [str(pip_audit), "--require-hashes", "--disable-pip", "--progress-spinner", "off"]
        for lock in locks:
            command += ["-r", str(lock)]
        command += ["--vulnerability-service", os.environ.get("PIP_AUDIT_SERVICE", "pypi")]
        command += ["--timeout", os.environ.get("PIP_AUDIT_TIMEOUT", "15")]
        command += ["--format", "json", "--output", str(output)]
        for vuln_id in os.environ.get("AUDIT_IGNORE", "").split():
            command += ["--ignore-vuln", vuln_id]
        completed = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 - fixed argv
        try:
            report = json.loads(output.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            report = None
        last_line = next((line for line in reversed(completed.stderr.splitlines()) if line.strip()), "")
        return report, last_line


def warn_unaudited(verdict, strict):
    lines = ["AVERTISSEMENT : l'audit des dépendances N'A PAS PU ÊTRE FAIT entièrement."]
    if verdict.error:
        lines.append("pip-audit n'a pas pu joindre sa base de vulnérabilités :")
        lines.append(f"  {verdict.error[:200]}")
    else:
        lines.append(
            f"{len(verdict.skipped)} paquet(s) sur {len(verdict.skipped) + verdict.audited} n'ont pas pu être audités "
            "(base de vulnérabilités injoignable ou sans données pour ces versions), par exemple :"
        )
        lines += [f"  - {reason}" for _, reason in verdict.skipped[:5]]
    lines.append("Aucune conclusion « pas de vulnérabilité connue » ne peut être tirée de cette exécution.")
    lines.append("Relancez `make audit` depuis une machine qui joint pypi.org (API JSON par version) ou osv.dev")
    lines.append("(PIP_AUDIT_SERVICE=osv).")
    lines.append(
        "AUDIT_STRICT=1 : échec (code 2)." if strict else "La CI continue (AUDIT_STRICT=1 pour en faire un échec)."
    )
    for line in lines:
        print(f"!! {line}")


def main(argv):
    locks = [ROOT / name for name in (argv or DEFAULT_LOCKS)]
    strict = os.environ.get("AUDIT_STRICT", "") == "1"
    verdict = classify(*run_pip_audit(locks))
    if not verdict.complete and not verdict.vulnerabilities:
        verdict = classify(*run_pip_audit(locks))  # one retry: a transient network failure is common
    if verdict.vulnerabilities:
        print(f"pip-audit a trouvé {len(verdict.vulnerabilities)} vulnérabilité(s) connue(s) :")
        for name, version, vuln_id, fixes in verdict.vulnerabilities:
            fixed = ", ".join(fixes) if fixes else "aucune version corrigée"
            print(f"  - {name} {version} : {vuln_id} (corrigé dans : {fixed})")
        print("Montez la version dans pyproject.toml puis `make lock`, ou justifiez l'exception dans AUDIT_IGNORE.")
        if not verdict.complete:
            warn_unaudited(verdict, strict)
        return EXIT_VULNERABLE
    if not verdict.complete:
        warn_unaudited(verdict, strict)
        return EXIT_UNAUDITED_STRICT if strict else 0
    print(f"pip-audit : {verdict.audited} paquets verrouillés audités, aucune vulnérabilité connue.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
