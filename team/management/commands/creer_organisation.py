"""Open a structure in one step: ``python manage.py creer_organisation --nom … --type porteur|partenaire
--email-coordination …`` creates the organisation and invites its first coordinator (porteur) or first partner
account (partenaire) with the invitation of /equipe/ (signed link, 7 days, single use)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from core.models import Organisation
from team import services
from team.forms import siret_is_valid


# E-mail backends that deliver nothing to the person: the link is printed instead (demo, tests).
NON_DELIVERING_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}


class Command(BaseCommand):
    help = "Crée une organisation (porteur ou partenaire) et invite son premier compte (coordination ou partenaire)."

    def add_arguments(self, parser):
        parser.add_argument("--nom", required=True, help="Nom de l'organisation (unique).")
        parser.add_argument("--type", required=True, choices=["porteur", "partenaire"], dest="kind")
        parser.add_argument("--sigle", default="")
        parser.add_argument("--siret", default="", help="14 chiffres.")
        parser.add_argument(
            "--email-coordination",
            required=True,
            dest="email",
            help="Adresse de la première personne invitée (coordination du porteur, ou compte du partenaire).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Vérifie et annonce, sans rien créer.")
        parser.add_argument(
            "--afficher-lien", action="store_true", help="Affiche le lien d'invitation (mode démonstration)."
        )
        parser.add_argument(
            "--url-base", default=getattr(settings, "TREMPLIN_BASE_URL", ""), help="Ex. https://tremplin.example.fr"
        )

    def handle(self, *args, nom, kind, sigle, siret, email, dry_run, afficher_lien, url_base, **options):
        nom, siret = nom.strip(), "".join(siret.split())
        if not nom:
            raise CommandError("Le nom de l'organisation est obligatoire.")
        try:
            validate_email(email)
        except ValidationError as exc:
            raise CommandError(f"Adresse e-mail non valable : {email}") from exc
        if siret and not siret_is_valid(siret):
            raise CommandError(f"Numéro SIRET non valable (14 chiffres, clé de contrôle) : {siret}")
        if services.name_taken(nom):
            raise CommandError(f"Une organisation nommée « {nom} » existe déjà : rien n'a été créé.")
        demo = settings.DEBUG or settings.EMAIL_BACKEND in NON_DELIVERING_BACKENDS
        if not url_base:
            if not demo:
                raise CommandError(
                    "Indiquez l'adresse du site (--url-base https://…) : le lien de l'e-mail en dépend."
                )
            url_base = "http://127.0.0.1:8000"
        label = dict(Organisation.Kind.choices)[kind]
        first = "premier compte partenaire" if kind == "partenaire" else "première coordination"
        if dry_run:
            self.stdout.write(
                f"Simulation : {label} « {nom} » serait créé, {first} invitée : {email}. Rien n'est écrit."
            )
            return
        try:
            with transaction.atomic():
                organisation, invitation, link = services.organisation_create(
                    nom=nom, kind=kind, sigle=sigle, siret=siret, email=email, base_url=url_base
                )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"{label} « {organisation.nom} » créé (n° {organisation.pk})."))
        self.stdout.write(f"Invitation ({first}) envoyée à {invitation.email}, valable 7 jours.")
        if afficher_lien or demo:
            self.stdout.write(f"Lien d'invitation : {link}")
