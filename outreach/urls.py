from django.urls import path

from outreach import views


app_name = "outreach"

urlpatterns = [
    path("", views.index, name="index"),
    path("actions/nouvelle/", views.action_create, name="action_create"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/modifier/", views.action_edit, name="action_edit"),
    path("contacts/", views.contact_list, name="contact_list"),
    path("contacts/<int:pk>/dossier/", views.contact_convert, name="contact_convert"),
    path("orientations/", views.orientation_list, name="orientation_list"),
    path("orientations/sortantes/nouvelle/", views.orientation_sortante_create, name="orientation_sortante_create"),
    path("orientations/<int:pk>/", views.orientation_detail, name="orientation_detail"),
    path("orientations/<int:pk>/examen/", views.orientation_examine, name="orientation_examine"),
    path("orientations/<int:pk>/accepter/", views.orientation_accept, name="orientation_accept"),
    path("orientations/<int:pk>/refuser/", views.orientation_decline, name="orientation_decline"),
    path("orientations/<int:pk>/messages/", views.orientation_message, name="orientation_message"),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
    path("partenaires/", views.partenaire_list, name="partenaire_list"),
    path("partenaires/nouveau/", views.partenaire_create, name="partenaire_create"),
    path("partenaires/inviter/", views.partenaire_invite, name="partenaire_invite"),
    path("partenaires/comptes/<int:pk>/activation/", views.partenaire_compte_toggle, name="partenaire_compte_toggle"),
    path("partenaires/<int:pk>/partenariat/", views.partenariat_toggle, name="partenariat_toggle"),
]
