"""``manage.py bilan --operation CODE --du AAAA-MM-JJ --au AAAA-MM-JJ --format json|pdf|xlsx [--output FILE]``."""

import json
import sys
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from funding.models import Operation
from reports import indicators


def _date(value, name):
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise CommandError(f"--{name} : date invalide « {value} » (attendu : AAAA-MM-JJ).", returncode=1) from exc


class Command(BaseCommand):
    help = "Calcule le bilan d'une opération sur une période (JSON, PDF ou XLSX) ; même calcul que le bilan web."

    def add_arguments(self, parser):
        parser.add_argument("--operation", required=True, help="Code de l'opération (ex. EME, NOE).")
        parser.add_argument("--du", required=True, help="Début de la période (AAAA-MM-JJ, inclus).")
        parser.add_argument("--au", required=True, help="Fin de la période (AAAA-MM-JJ, incluse).")
        parser.add_argument("--format", default="json", help="json, pdf ou xlsx (json par défaut).")
        parser.add_argument("--output", help="Fichier de sortie (par défaut : sortie standard).")

    def handle(self, *args, **options):
        fmt = (options["format"] or "").lower()
        if fmt not in ("json", "pdf", "xlsx"):
            raise CommandError(f"--format : « {options['format']} » inconnu (json, pdf ou xlsx).", returncode=1)
        du, au = _date(options["du"], "du"), _date(options["au"], "au")
        if au < du:
            raise CommandError(f"Période invalide : le {au:%d/%m/%Y} précède le {du:%d/%m/%Y}.", returncode=1)
        operation = Operation.objects.filter(code=options["operation"]).first()
        if operation is None:
            raise CommandError(f"Opération inconnue : « {options['operation']} ».", returncode=1)

        if fmt == "json":
            content = json.dumps(indicators.compute_bilan(operation, du, au), ensure_ascii=False, indent=2) + "\n"
            self._write_text(content, options["output"])
            return
        if fmt == "xlsx":
            from reports.exports import figures_xlsx

            payload = figures_xlsx(indicators.compute(operation, du, au))
        else:
            from reports.pdf import render_bilan_pdf

            payload = render_bilan_pdf(operation, du, au)
        self._write_bytes(payload, options["output"])

    def _write_text(self, content, output):
        if output:
            Path(output).write_text(content, encoding="utf-8")
            self.stdout.write(f"Bilan écrit dans {output}")
        else:
            self.stdout.write(content, ending="")

    def _write_bytes(self, payload, output):
        if output:
            Path(output).write_bytes(payload)
            self.stdout.write(f"Bilan écrit dans {output} ({len(payload)} octets)")
            return
        stream = getattr(self.stdout, "_out", sys.stdout)
        buffer = getattr(stream, "buffer", None)
        if buffer is None:
            raise CommandError("Format binaire : précisez --output FICHIER.", returncode=1)
        buffer.write(payload)
        buffer.flush()
