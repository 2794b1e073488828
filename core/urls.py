from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path, reverse_lazy

from core import proconnect, security_views, views


urlpatterns = [
    path("connexion/", login_not_required(views.LoginView.as_view()), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    # ProConnect (core/proconnect.py): 404 unless configured.
    path(
        "connexion/proconnect/", login_not_required(proconnect.ProConnectLoginView.as_view()), name="proconnect_login"
    ),
    path(
        "connexion/proconnect/retour/", login_not_required(proconnect.proconnect_callback), name="proconnect_callback"
    ),
    path(
        "deconnexion/proconnect/",
        login_not_required(proconnect.proconnect_logout_callback),
        name="proconnect_logout_callback",
    ),
    path("organisation/changer/", views.switch_organisation, name="switch_organisation"),
    path("sante/", views.sante, name="sante"),
    path("recherche/", views.search, name="search"),
    path("connexion/verification/", security_views.two_factor_verify, name="two_factor_verify"),
    path("compte/securite/", security_views.security_home, name="security_home"),
    path("compte/securite/activer/", security_views.security_enable, name="security_enable"),
    path("compte/securite/desactiver/", security_views.security_disable, name="security_disable"),
    path("compte/securite/codes/", security_views.security_recovery_codes, name="security_recovery_codes"),
    path("compte/connexions/", security_views.login_history, name="login_history"),
    path("compte/mot-de-passe/", security_views.PasswordChangeView.as_view(), name="password_change"),
    path("audit/", security_views.audit_list, name="audit_list"),
    path("audit/export.csv", security_views.audit_export, name="audit_export"),
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
