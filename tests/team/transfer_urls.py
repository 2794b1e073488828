"""The project's URLs plus a stand-in for the caseload transfer page (built in another app), so the links of
/equipe/ to it can be tested before it is merged (the real one, once there, comes first and wins)."""

from django.http import HttpResponse
from django.urls import path

from config.urls import handler403, handler404, urlpatterns as project


urlpatterns = [*project, path("portefeuille/transfert/", lambda request: HttpResponse("transfert"))]

__all__ = ["handler403", "handler404", "urlpatterns"]
