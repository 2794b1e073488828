"""Account security (2FA enrolment and verification, login history, password) and the audit pages."""

import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login, match_token

from core import audit, twofactor
from core.forms import AuditFilterForm, OTPTokenForm
from core.models import AccesDossier, LoginEvent
from core.permissions import coordinateur_required


def _safe_next(request, default="/"):
    next_url = request.POST.get("next") or request.GET.get("next") or default
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return default
    return next_url


# --- Second step of the login ----------------------------------------------------------------------------


@never_cache
def two_factor_verify(request):
    if twofactor.second_step_done(request):
        return redirect(_safe_next(request))
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            LoginEvent.objects.create(
                user=request.user,
                username=request.user.email,
                kind=LoginEvent.Kind.DOUBLE_AUTH,
                ip_address=request.META.get("REMOTE_ADDR") or None,
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            )
            if device.__class__.__name__ == "StaticDevice":
                remaining = twofactor.remaining_recovery_codes(request.user)
                messages.warning(
                    request,
                    f"Vous avez utilisé un code de secours ; il vous en reste {remaining}. "
                    "Pensez à en générer de nouveaux dans « Sécurité du compte ».",
                )
            return redirect(_safe_next(request))
        LoginEvent.objects.create(
            user=request.user,
            username=request.user.email,
            kind=LoginEvent.Kind.DOUBLE_AUTH_ECHEC,
            ip_address=request.META.get("REMOTE_ADDR") or None,
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        )
        form.add_error("code", "Code incorrect ou expiré. Vérifiez l'heure de votre téléphone et réessayez.")
    return render(request, "security/two_factor_verify.html", {"form": form, "next": _safe_next(request, default="")})


# --- « Sécurité du compte » ------------------------------------------------------------------------------


@never_cache
def security_home(request):
    user = request.user
    enrolled = request.session.get(twofactor.ENROLLED_SESSION_KEY)
    context = {
        "enrolled": enrolled,
        "required": twofactor.two_factor_required(user, request.memberships),
        "recovery_codes_left": twofactor.remaining_recovery_codes(user) if enrolled else 0,
        "last_events": LoginEvent.objects.filter(user=user)[:5],
    }
    return render(request, "security/security_home.html", context)


@never_cache
def security_enable(request):
    user = request.user
    if request.session.get(twofactor.ENROLLED_SESSION_KEY):
        messages.info(request, "La double authentification est déjà activée sur votre compte.")
        return redirect("security_home")
    device = twofactor.pending_totp_device(user)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save()
            codes = twofactor.recovery_codes_create(user)
            otp_login(request, device)
            twofactor.refresh_enrolment(request, user)
            messages.success(request, "La double authentification est activée.")
            return render(request, "security/recovery_codes.html", {"codes": codes, "next": _safe_next(request)})
        form.add_error("code", "Code incorrect. Saisissez le code affiché en ce moment par votre application.")
    context = {
        "form": form,
        "qr_code": twofactor.qr_code_data_uri(device),
        "secret": twofactor.secret_for_display(device),
        "required": twofactor.two_factor_required(user, request.memberships),
        "next": _safe_next(request, default=""),
    }
    return render(request, "security/security_enable.html", context)


@require_POST
def security_disable(request):
    user = request.user
    if twofactor.two_factor_required(user, request.memberships):
        messages.error(
            request, "La double authentification est obligatoire pour votre rôle : elle ne peut pas être désactivée."
        )
        return redirect("security_home")
    twofactor.devices_delete(user)
    request.session.pop("otp_device_id", None)
    twofactor.refresh_enrolment(request, user)
    messages.success(request, "La double authentification est désactivée.")
    return redirect("security_home")


@require_POST
def security_recovery_codes(request):
    if not request.session.get(twofactor.ENROLLED_SESSION_KEY):
        return redirect("security_home")
    codes = twofactor.recovery_codes_create(request.user)
    messages.success(request, "Nouveaux codes de secours générés : les anciens ne fonctionnent plus.")
    return render(request, "security/recovery_codes.html", {"codes": codes, "next": reverse("security_home")})


@never_cache
def login_history(request):
    events = LoginEvent.objects.filter(user=request.user).order_by("-created_at", "-pk")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "security/login_history.html", {"page": page})


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "security/password_change.html"
    success_url = reverse_lazy("security_home")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Votre mot de passe a été modifié.")
        return response


# --- Audit (coordination) -------------------------------------------------------------------------------


def _audit_filters(request):
    form = AuditFilterForm(request.GET or None, request=request)
    filters = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    return form, filters


def _reads(request, filters):
    reads = AccesDossier.objects.for_request(request)
    if "jeune" in filters:
        reads = reads.filter(jeune_id=filters["jeune"])
    if "utilisateur" in filters:
        reads = reads.filter(user=filters["utilisateur"])
    if "du" in filters:
        reads = reads.filter(created_at__date__gte=filters["du"])
    if "au" in filters:
        reads = reads.filter(created_at__date__lte=filters["au"])
    return reads.select_related("user").order_by("-created_at", "-pk")


def _changes(request, filters):
    user = filters.get("utilisateur")
    return audit.changes_for(
        request.organisation,
        jeune_id=filters.get("jeune"),
        user_id=user.pk if user else None,
        du=filters.get("du"),
        au=filters.get("au"),
    )


@coordinateur_required
def audit_list(request):
    form, filters = _audit_filters(request)
    vue = filters.get("vue") or "lectures"
    if vue == "modifications":
        page = Paginator(_changes(request, filters), 50).get_page(request.GET.get("page"))
        audit.describe_changes(list(page.object_list))
        rows = page.object_list
    else:
        page = Paginator(_reads(request, filters), 50).get_page(request.GET.get("page"))
        rows = page.object_list
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "vue": vue, "page": page, "rows": rows, "query": query.urlencode()}
    return render(request, "security/audit_list.html", context)


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """Neutralise spreadsheet formula injection: a cell starting with = + - @ TAB CR gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


@coordinateur_required
def audit_export(request):
    _form, filters = _audit_filters(request)
    vue = filters.get("vue") or "lectures"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="audit-{vue}-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    limit = settings.AUDIT_EXPORT_MAX_ROWS
    if vue == "modifications":
        writer.writerow(["date", "utilisateur", "action", "objet", "libellé", "dossier", "champs modifiés"])
        rows = audit.describe_changes(list(_changes(request, filters)[:limit]))
        for row in rows:
            writer.writerow(
                [
                    csv_safe(timezone.localtime(row["audit_date"]).strftime("%d/%m/%Y %H:%M")),
                    csv_safe(row["user"].email if row["user"] else ""),
                    csv_safe(row["type_label"]),
                    csv_safe(row["verbose_name"]),
                    csv_safe(row["label"]),
                    csv_safe(row["audit_jeune"] or ""),
                    csv_safe(", ".join(row["champs"])),
                ]
            )
    else:
        writer.writerow(["date", "utilisateur", "dossier", "page"])
        for read in _reads(request, filters)[:limit].iterator(chunk_size=2000):
            writer.writerow(
                [
                    csv_safe(timezone.localtime(read.created_at).strftime("%d/%m/%Y %H:%M")),
                    csv_safe(read.user.email if read.user else ""),
                    csv_safe(read.jeune_id),
                    csv_safe(read.url),
                ]
            )
    return response
