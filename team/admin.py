"""The Django admin opens a structure the way ``creer_organisation`` does: the add form of an organisation asks for
the e-mail of its first account and sends the same invitation (team.services.organisation_create)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from core.admin import OrganisationAdmin, ReadOnlyAdmin
from core.models import Organisation
from team import services
from team.models import EvenementEquipe, Invitation


class OrganisationAddForm(forms.ModelForm):
    email_premier_compte = forms.EmailField(
        label="E-mail du premier compte",
        help_text="Porteur : sa première coordination ; partenaire : son premier compte. Une invitation lui est "
        "envoyée (lien valable 7 jours).",
    )

    class Meta:
        model = Organisation
        fields = ["nom", "sigle", "kind", "commune", "siret", "email"]

    def clean_nom(self):
        nom = self.cleaned_data["nom"].strip()
        if services.name_taken(nom):
            raise forms.ValidationError(f"Une organisation nommée « {nom} » existe déjà.")
        return nom


admin.site.unregister(Organisation)


@admin.register(Organisation)
class OrganisationOnboardingAdmin(OrganisationAdmin):
    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = OrganisationAddForm
            kwargs["fields"] = [*OrganisationAddForm.Meta.fields, "email_premier_compte"]
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": [*OrganisationAddForm.Meta.fields, "email_premier_compte"]})]
        return super().get_fieldsets(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        try:
            organisation, invitation, link = services.organisation_create(
                nom=data["nom"],
                kind=data["kind"],
                sigle=data.get("sigle", ""),
                siret=data.get("siret", ""),
                email=data["email_premier_compte"],
                invited_by=request.user,
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            raise
        organisation.commune, organisation.email = data.get("commune", ""), data.get("email") or organisation.email
        organisation.save(update_fields=["commune", "email"])
        obj.pk = organisation.pk
        obj._state.adding = False
        obj._state.db = organisation._state.db
        messages.info(request, f"Invitation envoyée à {invitation.email} (lien valable 7 jours).")


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at", "cancelled_at"]
    list_filter = ["organisation", "role"]
    search_fields = ["email"]
    list_select_related = ["organisation"]


@admin.register(EvenementEquipe)
class EvenementEquipeAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "organisation", "kind", "email", "acteur", "detail"]
    list_filter = ["organisation", "kind"]
    list_select_related = ["organisation", "acteur"]
