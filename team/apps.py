from django.apps import AppConfig


class TeamConfig(AppConfig):
    name = "team"
    verbose_name = "Équipe et organisation"

    def ready(self):
        from core import proconnect
        from team.tokens import has_pending_invitation

        # ProConnect sends someone invited but not yet registered to her invitation link (never creates her account).
        proconnect.PENDING_ACCOUNT_CHECKS.append(has_pending_invitation)
