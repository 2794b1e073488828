from django.urls import path

from team import views


app_name = "team"

urlpatterns = [
    path("equipe/", views.index, name="index"),
    path("equipe/inviter/", views.invite, name="invite"),
    path("equipe/membres/<int:pk>/role/", views.membership_role, name="membership_role"),
    path("equipe/membres/<int:pk>/desactiver/", views.membership_deactivate, name="membership_deactivate"),
    path("equipe/membres/<int:pk>/reactiver/", views.membership_reactivate, name="membership_reactivate"),
    path("equipe/invitations/<int:pk>/renvoyer/", views.invitation_resend, name="invitation_resend"),
    path("equipe/invitations/<int:pk>/annuler/", views.invitation_cancel, name="invitation_cancel"),
    path("invitation/equipe/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("organisation/parametres/", views.organisation_settings, name="settings"),
]
