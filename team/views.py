"""/equipe/ (the members of the current organisation, invitations) and /organisation/parametres/ (coordination);
/invitation/equipe/<token>/ (public: the invited person activates her access)."""

from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.views.decorators.cache import never_cache

from core.middleware import SESSION_KEY
from core.models import Membership
from core.permissions import Record, read_required, write_required
from core.roles import Role
from core.text import MESSAGE_PLACEHOLDERS
from messaging.texts import render as fill_placeholders
from outreach.forms import InvitationAcceptForm
from team import services
from team.forms import ExistingAccountForm, InviteForm, OrganisationSettingsForm, RoleForm
from team.models import Invitation
from team.tokens import invitation_from_token


TRANSFER_PATH = "/portefeuille/transfert/"  # the caseload transfer (another app): dossiers of a person who left


def transfer_url():
    """The caseload transfer page, or None while it is not installed (no link to a 404)."""
    try:
        resolve(TRANSFER_PATH)
    except Resolver404:
        return None
    return TRANSFER_PATH


def _base_url(request):
    return request.build_absolute_uri("/")


def _membership(request, pk):
    """A membership of the current organisation, or 404 (another organisation's people are never touched)."""
    membership = (
        Membership.objects.filter(organisation=request.organisation, pk=pk)
        .select_related("user", "organisation")
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def _invitation(request, pk):
    invitation = Invitation.objects.for_request(request).select_related("organisation").filter(pk=pk).first()
    if invitation is None:
        raise Http404
    return invitation


@read_required(Record.COMPTES)
def index(request):
    members = (
        Membership.objects.filter(organisation=request.organisation)
        .select_related("user")
        .order_by("-is_active", "user__last_name", "user__first_name", "pk")
    )
    page = Paginator(members, 50).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    dossiers = {}
    if request.organisation.is_porteur:
        from youth.models import Jeune

        dossiers = dict(
            Jeune.objects.for_request(request)
            .filter(referent__in=[m.user_id for m in rows])
            .values_list("referent")
            .annotate(n=Count("pk"))
            .order_by()
        )
    for m in rows:
        m.dossiers = dossiers.get(m.user_id, 0)
        m.role_form = RoleForm(organisation=request.organisation, initial={"role": m.role}, prefix=f"m{m.pk}")
    invitations = list(Invitation.objects.for_request(request).pending().select_related("invited_by")[:100])
    context = {
        "page": page,
        "members": rows,
        "invitations": invitations,
        "form": InviteForm(organisation=request.organisation),
        "transfer_url": transfer_url(),
    }
    return render(request, "team/index.html", context)


@write_required(Record.COMPTES)
def invite(request):
    form = InviteForm(request.POST or None, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(
                organisation=request.organisation,
                invited_by=request.user,
                base_url=_base_url(request),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            form.add_error("email", exc)
        else:
            messages.success(request, f"Invitation envoyée à {form.cleaned_data['email']} (lien valable 7 jours).")
            return redirect("team:index")
    return render(request, "team/invite.html", {"form": form}, status=422 if form.errors else 200)


@write_required(Record.COMPTES)
def membership_role(request, pk):
    membership = _membership(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = RoleForm(request.POST, organisation=request.organisation, prefix=f"m{membership.pk}")
    if not form.is_valid():
        messages.error(request, "Choisissez un rôle de la liste.")
        return redirect("team:index")
    try:
        services.member_set_role(membership=membership, role=form.cleaned_data["role"], user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"{membership.user} : rôle « {Role(form.cleaned_data['role']).label} », effectif dès sa prochaine page.",
        )
    return redirect("team:index")


@write_required(Record.COMPTES)
def membership_deactivate(request, pk):
    membership = _membership(request, pk)
    if request.method == "POST":
        try:
            services.member_deactivate(membership=membership, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                f"L'accès de {membership.user} est désactivé : ses sessions ouvertes se terminent à sa prochaine "
                "page. "
                "Ses dossiers restent ; transférez-les depuis la page de transfert du portefeuille.",
            )
        return redirect("team:index")
    return render(
        request,
        "team/deactivate.html",
        {
            "membership": membership,
            "self_change": membership.user_id == request.user.pk,
            "transfer_url": transfer_url(),
        },
    )


@write_required(Record.COMPTES)
def membership_reactivate(request, pk):
    membership = _membership(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.member_reactivate(membership=membership, user=request.user)
    messages.success(request, f"L'accès de {membership.user} est rétabli.")
    return redirect("team:index")


@write_required(Record.COMPTES)
def invitation_resend(request, pk):
    invitation = _invitation(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.invitation_resend(invitation=invitation, user=request.user, base_url=_base_url(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Nouvelle invitation envoyée à {invitation.email} : l'ancien lien ne marche plus.")
    return redirect("team:index")


@write_required(Record.COMPTES)
def invitation_cancel(request, pk):
    invitation = _invitation(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.invitation_cancel(invitation=invitation, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Invitation de {invitation.email} annulée : son lien ne marche plus.")
    return redirect("team:index")


# --- The invited person ---------------------------------------------------------------------------------------


def _invalid(request):
    return render(request, "team/invitation_invalid.html", status=404)


def _enter(request, user, membership):
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SESSION_KEY] = membership.organisation_id
    messages.success(
        request, f"Bienvenue ! Vous faites partie de {membership.organisation} ({membership.get_role_display()})."
    )
    return redirect("portal:home" if membership.role == Role.PARTENAIRE else "/")


@login_not_required
@never_cache
def invitation_accept(request, token):
    """The invitation link: a new person chooses her password; a person who already has an account (another
    organisation) confirms with her own password and the membership is added to her account."""
    from core.models import User

    invitation = invitation_from_token(token)
    if invitation is None:
        return _invalid(request)
    existing = User.objects.get_by_email(invitation.email)
    if existing is not None and existing.is_staff:
        return _invalid(request)
    if existing is None:
        form = InvitationAcceptForm(
            request.POST or None,
            email=invitation.email,
            initial={"first_name": invitation.first_name, "last_name": invitation.last_name},
        )
    else:
        form = ExistingAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if existing is None:
                user, membership = services.invitation_accept(
                    invitation=invitation,
                    password=form.cleaned_data["password1"],
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                )
            else:
                authenticated = authenticate(
                    request, username=invitation.email, password=form.cleaned_data["password"]
                )
                if authenticated is None:
                    form.add_error("password", "Mot de passe incorrect.")
                    raise ValueError
                user, membership = services.invitation_accept(invitation=invitation, existing_user=authenticated)
        except ValidationError:
            return _invalid(request)
        except ValueError:
            pass
        else:
            return _enter(request, user, membership)
    return render(
        request,
        "team/invitation_accept.html",
        {"form": form, "invitation": invitation, "existing": existing is not None},
        status=422 if form.is_bound and form.errors else 200,
    )


# --- Organisation settings ------------------------------------------------------------------------------------


def preview_values(request, organisation):
    values = {key: sample for key, (_meaning, sample) in MESSAGE_PLACEHOLDERS.items()}
    values["structure"] = organisation.sigle or organisation.nom
    values["telephone"] = organisation.telephone or values["telephone"]
    values["conseillere"] = request.user.get_full_name() or values["conseillere"]
    return values


@write_required(Record.COMPTES)
def organisation_settings(request):
    organisation = request.organisation
    form = OrganisationSettingsForm(request.POST or None, request.FILES or None, instance=organisation)
    preview = None
    if request.method == "POST":
        if form.is_valid():
            if "apercu" in request.POST:
                preview = form.cleaned_data
            else:
                changed = [str(form.fields[name].label) for name in form.changed_data]
                form.save()
                services.settings_changed(organisation=organisation, user=request.user, fields=changed)
                messages.success(request, "Paramètres de l'organisation enregistrés.")
                return redirect("team:settings")
        organisation.refresh_from_db()  # the header of the page shows the saved values, the form what was typed
    texts = preview or {"texte_invitation": organisation.texte_invitation, "texte_rappel": organisation.texte_rappel}
    values = preview_values(request, organisation)
    context = {
        "form": form,
        "organisation": organisation,
        "placeholders": [(key, meaning) for key, (meaning, _sample) in MESSAGE_PLACEHOLDERS.items()],
        "apercu_invitation": fill_placeholders(texts["texte_invitation"], values),
        "apercu_rappel": fill_placeholders(texts["texte_rappel"], values),
        "apercu_saisi": preview is not None,
    }
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "team/settings.html", context, status=status)
