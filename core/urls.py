from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path, reverse_lazy

from core import views


urlpatterns = [
    path("", views.home, name="home"),
    path("connexion/", login_not_required(views.LoginView.as_view()), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("organisation/changer/", views.switch_organisation, name="switch_organisation"),
    path("sante/", views.sante, name="sante"),
    path(
        "mot-de-passe/oubli/",
        login_not_required(
            auth_views.PasswordResetView.as_view(
                template_name="registration/password_reset.html",
                email_template_name="registration/password_reset_email.txt",
                subject_template_name="registration/password_reset_subject.txt",
                success_url=reverse_lazy("password_reset_done"),
            )
        ),
        name="password_reset",
    ),
    path(
        "mot-de-passe/oubli/envoye/",
        login_not_required(
            auth_views.PasswordResetDoneView.as_view(template_name="registration/password_reset_done.html")
        ),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        login_not_required(
            auth_views.PasswordResetConfirmView.as_view(
                template_name="registration/password_reset_confirm.html",
                success_url=reverse_lazy("password_reset_complete"),
            )
        ),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        login_not_required(
            auth_views.PasswordResetCompleteView.as_view(template_name="registration/password_reset_complete.html")
        ),
        name="password_reset_complete",
    ),
]
