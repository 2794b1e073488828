from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = "Repérage et orientations"

    def ready(self):
        from core import dossier, forms
        from core.models import Organisation
        from outreach.dossier import contribute
        from outreach.models import partner_choices

        dossier.register("orientations", "Repérage et orientations", contribute, order=15)
        forms.register_pick_rule(Organisation, partner_choices)
