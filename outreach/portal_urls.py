from django.urls import path

from outreach import portal_views as views


app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("orientations/export.csv", views.export_csv, name="export_csv"),
    path("orientations/nouvelle/", views.orientation_create, name="orientation_create"),
    path("orientations/recues/", views.recues, name="recues"),
    path("orientations/<int:pk>/", views.orientation_detail, name="orientation_detail"),
    path("orientations/<int:pk>/modifier/", views.orientation_edit, name="orientation_edit"),
    path("orientations/<int:pk>/envoyer/", views.orientation_submit, name="orientation_submit"),
    path("orientations/<int:pk>/retirer/", views.orientation_withdraw, name="orientation_withdraw"),
    path("orientations/<int:pk>/messages/", views.orientation_message, name="orientation_message"),
    path("orientations/<int:pk>/documents/", views.document_add, name="document_add"),
    path("orientations/<int:pk>/reponse/", views.orientation_answer, name="orientation_answer"),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
