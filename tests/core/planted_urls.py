"""A URL configuration with deliberately broken views, used to prove the harness catches each of them."""

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns
from youth.models import Jeune


def unscoped_jeune(request, pk):
    jeune = Jeune.objects.get(pk=pk)  # the bug: no for_user()
    return HttpResponse(str(jeune))


@login_not_required
def public_by_mistake(request):
    return HttpResponse("ouvert")


def membership_scoped(request, pk):
    # the bug: scoped to the user's memberships, not to the current organisation
    jeune = get_object_or_404(Jeune, pk=pk, organisation__memberships__user=request.user)
    return HttpResponse(str(jeune))


def unaudited(request, pk):
    # the bug: the scope is right, but the read goes around core.shortcuts (no audit)
    jeune = get_object_or_404(Jeune.objects.for_request(request), pk=pk)
    return HttpResponse(jeune.prenom)


def archive_blind(request, pk):
    # the bug: the current organisation, but not the archive rule
    jeune = get_object_or_404(Jeune, pk=pk, organisation=request.scope.organisation)
    return HttpResponse(jeune.nom)


class UnscopedForm(forms.Form):
    # the bug: a plain form with every young person of the platform
    jeune = forms.ModelChoiceField(queryset=Jeune.objects.all())


def unscoped_form(request):
    form = UnscopedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        jeune = form.cleaned_data["jeune"]
        jeune.commentaire = "écrit par un formulaire sans portée"
        jeune.save()
        return HttpResponse("enregistré")
    return render(request, "base.html", {"planted_form": form})


urlpatterns = [
    *project_urlpatterns,
    path("plante/<int:pk>/", unscoped_jeune, name="planted_unscoped"),
    path("plante/ouvert/", public_by_mistake, name="planted_public"),
    path("plante/adhesions/<int:pk>/", membership_scoped, name="planted_membership_scope"),
    path("plante/archive/<int:pk>/", archive_blind, name="planted_archive_blind"),
    path("plante/formulaire/", unscoped_form, name="planted_unscoped_form"),
    path("plante/non-journalise/<int:pk>/", unaudited, name="planted_unaudited"),
]
