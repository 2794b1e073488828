"""What the retention job did, run by run."""

from django.db import models
from django.utils import timezone


class RetentionRun(models.Model):
    started_at = models.DateTimeField("lancé le", default=timezone.now)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    dry_run = models.BooleanField("simulation", default=False)
    archived_count = models.PositiveIntegerField("dossiers archivés", default=0)
    anonymised_count = models.PositiveIntegerField("dossiers anonymisés", default=0)
    archived_ids = models.JSONField("n° des dossiers archivés", default=list, blank=True)
    anonymised_ids = models.JSONField("n° des dossiers anonymisés", default=list, blank=True)
    report = models.TextField("compte rendu", blank=True)

    class Meta:
        verbose_name = "passage de la conservation des données"
        verbose_name_plural = "passages de la conservation des données"
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.started_at:%d/%m/%Y %H:%M} — {self.archived_count} archivés, {self.anonymised_count} anonymisés"
