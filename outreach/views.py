"""Porteur side (``/reperage/``): aller-vers actions and contacts, the triage of orientations, partner accounts."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from core.models import Membership, Organisation, Role
from core.permissions import (
    Record,
    can_write,
    coordinateur_required,
    read_required,
    staff_required,
    write_required,
)
from core.shortcuts import get_for_request_or_404
from core.templatetags.fr import de
from core.uploads import protected_file_response
from outreach import services
from outreach.forms import (
    ActionReperageForm,
    ContactConvertForm,
    ContactReperageForm,
    DeclineForm,
    InvitationForm,
    MessageForm,
    OrientationSortanteForm,
    PartenaireCreateForm,
)
from outreach.models import (
    ActionReperage,
    ContactReperage,
    InvitationPartenaire,
    Orientation,
    OrientationDocument,
    PartenariatOrientation,
)
from youth import rules, services as youth_services
from youth.models import Jeune


PAGE_SIZE = 30
# The role table (core.permissions): the chargé·e de relation entreprise reads repérage actions, but neither
# orientations (their attachments carry a young person's documents) nor creates dossiers.
orientation_readers = read_required(Record.ORIENTATION)
orientation_writers = write_required(Record.ORIENTATION)
reperage_writers = write_required(Record.REPERAGE)
dossier_writers = write_required(Record.DOSSIER)


def page_query(request):
    """The current filters as a query string, without the page number (for pagination links)."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _error_text(exc):
    return " ".join(exc.messages)


# --- Repérage ---------------------------------------------------------------------------------------------------


@staff_required
def index(request):
    actions = (
        ActionReperage.objects.for_request(request).annotate(nb_contacts=Count("contacts")).order_by("-date", "-pk")
    )
    type_filtre = request.GET.get("type", "")
    if type_filtre in ActionReperage.Type.values:
        actions = actions.filter(type=type_filtre)
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    orientations = Orientation.objects.for_request(request)
    context = {
        "page": page,
        "types": ActionReperage.Type.choices,
        "type_filtre": type_filtre,
        "query": page_query(request),
        "a_traiter": orientations.filter(sens=Orientation.Sens.ENTRANTE, statut__in=Orientation.OUVERTES).count(),
        "contacts_anonymes": ContactReperage.objects.for_request(request).anonymes().count(),
    }
    return render(request, "outreach/action_list.html", context)


@reperage_writers
def action_create(request):
    form = ActionReperageForm(request.POST or None, request=request, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        action = form.save(commit=False)
        action.organisation = request.organisation
        action.created_by = request.user
        action.save()
        form.save_m2m()
        messages.success(request, "Action de repérage enregistrée. Ajoutez les personnes rencontrées.")
        return redirect("outreach:action_detail", pk=action.pk)
    return render(request, "outreach/action_form.html", {"form": form})


@reperage_writers
def action_edit(request, pk):
    action = get_for_request_or_404(request, ActionReperage, pk=pk)
    form = ActionReperageForm(request.POST or None, instance=action, request=request)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Action modifiée.")
        return redirect("outreach:action_detail", pk=action.pk)
    return render(request, "outreach/action_form.html", {"form": form, "action": action})


@staff_required
def action_detail(request, pk):
    action = get_for_request_or_404(
        request,
        ActionReperage.objects.select_related("created_by").prefetch_related("intervenants"),
        pk=pk,
    )
    if request.method == "POST" and not can_write(request.scope.role, Record.REPERAGE):
        raise PermissionDenied("Votre rôle ne permet pas de noter un contact.")
    form = ContactReperageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contact = form.save(commit=False)
        contact.action = action
        contact.organisation = action.organisation
        contact.date_contact = action.date
        contact.save()
        messages.success(request, f"Contact « {contact} » ajouté.")
        return redirect("outreach:action_detail", pk=action.pk)
    contacts = action.contacts.select_related("jeune").order_by("pk")
    return render(request, "outreach/action_detail.html", {"action": action, "contacts": contacts, "form": form})


@staff_required
def contact_list(request):
    contacts = (
        ContactReperage.objects.for_request(request).select_related("action", "jeune").order_by("-date_contact", "-pk")
    )
    if request.GET.get("tous") != "1":
        contacts = contacts.anonymes()
    page = Paginator(contacts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/contact_list.html",
        {"page": page, "tous": request.GET.get("tous") == "1", "query": page_query(request)},
    )


@dossier_writers
def contact_convert(request, pk):
    contact = get_for_request_or_404(request, ContactReperage.objects.select_related("action"), pk=pk)
    if contact.jeune_id:
        messages.info(request, "Ce contact a déjà un dossier.")
        return redirect(contact.jeune.get_absolute_url())
    # The birth date is asked, never guessed from the approximate age (shown beside the field); the contact means
    # prefill the phone or e-mail only when they are one ("Snap : yass59" stays in the contact's notes).
    initial = {
        "prenom": contact.prenom_ou_pseudo,
        "sexe": contact.sexe,
        "statut": Jeune.Statut.CONTACT,
        "telephone": rules.phone_from_free_text(contact.moyen_contact),
        "email": rules.email_from_free_text(contact.moyen_contact),
    }
    form = ContactConvertForm(request.POST or None, initial=initial, organisation=request.organisation)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        try:
            jeune = services.contact_convert(
                contact=contact,
                user=request.user,
                data=form.cleaned_data,
                confirmer=request.POST.get("confirmer_doublon") == "1",
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            data = form.cleaned_data
            duplicates = youth_services.jeune_duplicates(
                organisation=contact.organisation,
                nom=data.get("nom"),
                prenom=data.get("prenom"),
                date_naissance=data.get("date_naissance"),
                telephone=data.get("telephone", ""),
                email=data.get("email", ""),
            )
        else:
            messages.success(
                request, f"Dossier {de(jeune)} créé (repéré en aller-vers le {contact.date_contact:%d/%m/%Y})."
            )
            return redirect(jeune.get_absolute_url())
    return render(
        request, "outreach/contact_convert.html", {"contact": contact, "form": form, "duplicates": duplicates}
    )


# --- Triage of orientations -------------------------------------------------------------------------------------


@orientation_readers
def orientation_list(request):
    orientations = (
        Orientation.objects.for_request(request).select_related("partenaire", "jeune").order_by("-soumise_le", "-pk")
    )
    sens = request.GET.get("sens", Orientation.Sens.ENTRANTE)
    if sens not in Orientation.Sens.values:
        sens = Orientation.Sens.ENTRANTE
    orientations = orientations.filter(sens=sens)
    statut = request.GET.get("statut", "ouvertes")
    if statut == "ouvertes":
        orientations = orientations.filter(statut__in=Orientation.OUVERTES)
    elif statut in Orientation.Statut.values:
        orientations = orientations.filter(statut=statut)
    else:
        statut = ""
    q = request.GET.get("q", "").strip()
    if q:
        orientations = orientations.filter(Q(nom__icontains=q) | Q(prenom__icontains=q))
    page = Paginator(orientations, PAGE_SIZE).get_page(request.GET.get("page"))
    statuts = [s for s in Orientation.Statut.choices if s[0] != Orientation.Statut.BROUILLON]
    return render(
        request,
        "outreach/orientation_list.html",
        {"page": page, "sens": sens, "statut": statut, "statuts": statuts, "q": q, "query": page_query(request)},
    )


def _triage_orientation(request, pk):
    return get_for_request_or_404(
        request, Orientation.objects.select_related("partenaire", "organisation", "jeune", "decidee_par"), pk=pk
    )


@orientation_readers
def orientation_detail(request, pk):
    orientation = _triage_orientation(request, pk)
    doublons = []
    if orientation.est_entrante and orientation.est_ouverte:
        doublons = services.doublons_for(orientation, Jeune.objects.for_request(request))
    context = {
        "orientation": orientation,
        "doublons": doublons,
        "documents": orientation.documents.all(),
        "fil": orientation.messages.select_related("auteur", "auteur_organisation"),
        "message_form": MessageForm(),
        "decline_form": DeclineForm(),
        "age": orientation.age_le(timezone.localdate()),
    }
    return render(request, "outreach/orientation_detail.html", context)


@orientation_writers
def orientation_examine(request, pk):
    orientation = _triage_orientation(request, pk)
    if request.method != "POST":
        return redirect("outreach:orientation_detail", pk=orientation.pk)
    try:
        services.orientation_examine(orientation=orientation, user=request.user)
        messages.success(request, "L'orientation est en cours d'examen ; le partenaire en est informé.")
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect("outreach:orientation_detail", pk=orientation.pk)


@orientation_writers
def orientation_accept(request, pk):
    orientation = _triage_orientation(request, pk)
    if request.method != "POST":
        return redirect("outreach:orientation_detail", pk=orientation.pk)
    jeune = None
    choice = request.POST.get("jeune", "nouveau")
    if choice != "nouveau":
        try:
            jeune = get_for_request_or_404(request, Jeune, pk=int(choice))
        except ValueError as exc:
            raise Http404 from exc
    elif request.POST.get("confirmer_nouveau") != "1" and services.doublons_for(
        orientation, Jeune.objects.for_request(request)
    ):
        messages.error(request, "Un dossier existe peut-être déjà : choisissez-le ou confirmez la création.")
        return redirect("outreach:orientation_detail", pk=orientation.pk)
    try:
        jeune = services.orientation_accept(
            orientation=orientation,
            user=request.user,
            jeune=jeune,
            confirmer=jeune is None and request.POST.get("confirmer_nouveau") == "1",
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect("outreach:orientation_detail", pk=orientation.pk)
    messages.success(request, f"Orientation acceptée : dossier {de(jeune)}.")
    return redirect(jeune.get_absolute_url())


@orientation_writers
def orientation_decline(request, pk):
    orientation = _triage_orientation(request, pk)
    if request.method != "POST":
        return redirect("outreach:orientation_detail", pk=orientation.pk)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.orientation_decline(orientation=orientation, user=request.user, motif=form.cleaned_data["motif"])
            messages.success(request, "Orientation refusée ; le partenaire en est informé.")
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
    else:
        messages.error(request, "Indiquez le motif du refus : il est transmis au partenaire.")
    return redirect("outreach:orientation_detail", pk=orientation.pk)


@orientation_writers
def orientation_message(request, pk):
    orientation = _triage_orientation(request, pk)
    if request.method != "POST":
        return redirect("outreach:orientation_detail", pk=orientation.pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        services.orientation_message_post(
            orientation=orientation,
            user=request.user,
            organisation=request.organisation,
            texte=form.cleaned_data["texte"],
        )
        messages.success(request, "Message envoyé au partenaire.")
    else:
        messages.error(request, "Le message est vide.")
    return redirect("outreach:orientation_detail", pk=orientation.pk)


@orientation_readers
def document_download(request, pk):
    document = get_for_request_or_404(request, OrientationDocument, pk=pk)
    return protected_file_response(document.fichier)


@orientation_writers
def orientation_sortante_create(request):
    initial = {"jeune": request.GET.get("jeune")} if request.GET.get("jeune", "").isdigit() else {}
    form = OrientationSortanteForm(request.POST or None, request=request, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        orientation = services.orientation_send(
            porteur=request.organisation,
            partenaire=data["partenaire"],
            jeune=data["jeune"],
            user=request.user,
            motif=data["motif"],
            attentes=data["attentes"],
            urgence=data["urgence"],
        )
        messages.success(request, f"{data['jeune']} est orienté·e vers {data['partenaire']}.")
        return redirect("outreach:orientation_detail", pk=orientation.pk)
    return render(request, "outreach/orientation_sortante_form.html", {"form": form})


# --- Partners and partner accounts (coordination) ---------------------------------------------------------------


@coordinateur_required
def partenaire_list(request):
    partenariats = list(PartenariatOrientation.objects.for_request(request).select_related("partenaire"))
    partner_ids = [p.partenaire_id for p in partenariats]
    # The accounts this porteur invited into its own partnership (it manages them), and the partners' own accounts
    # (shown, managed by the partner organisation or the platform admin).
    comptes = list(
        Membership.objects.filter(organisation_id__in=partner_ids, role=Role.PARTENAIRE)
        .select_related("user", "organisation")
        .order_by("organisation__nom", "user__email")[:200]
    )
    for compte in comptes:
        compte.gere_ici = services.porteur_manages(porteur=request.organisation, membership=compte)
    invitations = (
        InvitationPartenaire.objects.for_request(request)
        .filter(accepted_at__isnull=True)
        .select_related("partenaire")[:50]
    )
    context = {"partenariats": partenariats, "comptes": comptes, "invitations": invitations}
    return render(request, "outreach/partenaire_list.html", context)


@coordinateur_required
def partenaire_invite(request):
    form = InvitationForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.partenaire_invite(
                porteur=request.organisation,
                partenaire=data["partenaire"],
                email=data["email"],
                user=request.user,
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
        except ValidationError as exc:
            form.add_error("email", exc)
        else:
            # The same answer whether or not the address is an account elsewhere (services.partenaire_invite).
            messages.success(request, f"Invitation envoyée à {invitation.email} (valable 7 jours).")
            return redirect("outreach:partenaire_list")
    return render(request, "outreach/partenaire_invite.html", {"form": form})


@coordinateur_required
def partenaire_create(request):
    form = PartenaireCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        partenaire = form.save(commit=False)
        partenaire.kind = Organisation.Kind.PARTENAIRE
        partenaire.cree_par = request.organisation  # this porteur's partner, not an entry of a global list
        partenaire.save()
        PartenariatOrientation.objects.create(
            porteur=request.organisation, partenaire=partenaire, date_debut=timezone.localdate()
        )
        messages.success(request, f"Partenaire {partenaire} ajouté. Invitez maintenant ses utilisateurs.")
        return redirect("outreach:partenaire_invite")
    return render(request, "outreach/partenaire_create.html", {"form": form})


@coordinateur_required
def partenaire_compte_toggle(request, pk):
    """End or restore the access of an account to *this* partnership; another organisation's staff answer 404."""
    linked = PartenariatOrientation.objects.for_request(request).values("partenaire_id")
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=pk, role=Role.PARTENAIRE, organisation_id__in=linked
    )
    if not services.porteur_manages(porteur=request.organisation, membership=membership):
        raise Http404("Compte géré par sa structure")
    if request.method != "POST":
        return redirect("outreach:partenaire_list")
    if services.partenaire_access_toggle(porteur=request.organisation, membership=membership):
        messages.success(request, f"Accès de {membership.user.email} à votre partenariat rétabli.")
    else:
        messages.success(request, f"Accès de {membership.user.email} à votre partenariat retiré.")
    return redirect("outreach:partenaire_list")


@coordinateur_required
def partenariat_toggle(request, pk):
    """A porteur ends (or resumes) its partnership with a partner organisation."""
    partenariat = get_for_request_or_404(request, PartenariatOrientation.objects.select_related("partenaire"), pk=pk)
    if request.method != "POST":
        return redirect("outreach:partenaire_list")
    services.partenariat_toggle(partenariat=partenariat)
    etat = "repris" if partenariat.is_active else "terminé"
    messages.success(request, f"Partenariat avec {partenariat.partenaire} {etat}.")
    return redirect("outreach:partenaire_list")
