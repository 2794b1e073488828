from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.shortcuts import redirect, render
from django.utils import timezone

from core.permissions import WRITERS, Record, current_role, staff_required, write_required
from core.shortcuts import get_for_request_or_404
from core.sorting import Column, Sort, filter_by_owner
from employers.forms import (
    ContactForm,
    EntrepriseForm,
    InteractionForm,
    OffreForm,
    PlacementForm,
    SuiviPlacementForm,
)
from employers.models import Entreprise, Interaction, Placement


# Everyone on the staff can look companies up; the chargé·e de relation entreprise and the coordination manage them.
entreprise_managers = write_required(Record.EMPLOYEUR)
MANAGER_ROLES = WRITERS[Record.EMPLOYEUR]


ENTREPRISE_COLUMNS = [
    Column("nom", "Entreprise", ("nom",)),
    Column("siret", "SIRET", ("siret",)),
    Column("secteur", "Secteur (NAF)", ("secteur", "code_naf")),
    Column("commune", "Commune", ("commune",)),
    Column("immersions", "Immersions", ("nb_immersions",), numeric=True),
    Column("embauches", "Embauches", ("nb_placements",), numeric=True),
]


@staff_required
def entreprise_list(request):
    entreprises = Entreprise.objects.for_request(request).annotate(
        nb_immersions=Count("immersions", distinct=True),
        nb_placements=Count("placements", distinct=True),
    )
    sort = Sort(request, ENTREPRISE_COLUMNS, default="nom")
    entreprises = sort.apply(entreprises)
    q = request.GET.get("q", "").strip()
    if q:
        digits = "".join(q.split())
        filters = Q(nom__icontains=q) | Q(commune__icontains=q) | Q(secteur__icontains=q) | Q(code_naf__iexact=q)
        if digits.isdigit():
            filters |= Q(siret__startswith=digits)
        entreprises = entreprises.filter(filters)
    bienveillante = request.GET.get("bienveillante") == "1"
    if bienveillante:
        entreprises = entreprises.filter(bienveillante=True)
    page = Paginator(entreprises, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "employers/entreprise_list.html",
        {
            "page": page,
            "q": q,
            "bienveillante": bienveillante,
            "sort": sort,
            "sort_query": sort.query_with_sort,
            "can_manage": current_role(request) in MANAGER_ROLES,
        },
    )


@entreprise_managers
def entreprise_create(request):
    form = EntrepriseForm(request.POST or None, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        entreprise = form.save(commit=False)
        entreprise.organisation = request.organisation
        entreprise.save()
        messages.success(request, "Entreprise enregistrée.")
        return redirect(entreprise)
    return render(request, "employers/entreprise_form.html", {"form": form})


@entreprise_managers
def entreprise_update(request, pk):
    entreprise = get_for_request_or_404(request, Entreprise, pk=pk)
    form = EntrepriseForm(request.POST or None, instance=entreprise, organisation=entreprise.organisation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Entreprise modifiée.")
        return redirect(entreprise)
    return render(request, "employers/entreprise_form.html", {"form": form, "entreprise": entreprise})


DETAIL_ROWS = 50


@staff_required
def entreprise_detail(request, pk):
    entreprise = get_for_request_or_404(request, Entreprise, pk=pk)
    interactions = list(entreprise.interactions.select_related("contact", "auteur")[:50])
    # Reverse relation from workshops.Immersion: employers never imports workshops (dependency direction).
    immersions_qs = entreprise.immersions.for_request(request)
    # The 50 most recent of each; one more row says whether "voir tout" is needed (no count query).
    immersions = list(immersions_qs.select_related("jeune")[: DETAIL_ROWS + 1])
    placements = list(
        Placement.objects.for_request(request)
        .filter(entreprise=entreprise)
        .select_related("jeune")
        .order_by("-date_debut", "-pk")[: DETAIL_ROWS + 1]
    )
    bilan = entreprise.interactions.aggregate(
        visites=Count("id", filter=Q(kind=Interaction.Kind.VISITE_JEUNES)),
        jeunes_visites=Sum("nb_jeunes", filter=Q(kind=Interaction.Kind.VISITE_JEUNES)),
        echanges=Count("id"),
    )
    bilan["immersions"] = immersions_qs.filter(annulee=False).count()
    bilan["embauches"] = Placement.objects.for_request(request).filter(entreprise=entreprise).count()
    can_manage = current_role(request) in MANAGER_ROLES
    context = {
        "entreprise": entreprise,
        "contacts": list(entreprise.contacts.all()),
        "interactions": interactions,
        "offres": list(entreprise.offres.all()[:50]),
        "immersions": immersions[:DETAIL_ROWS],
        "immersions_plus": len(immersions) > DETAIL_ROWS,
        "placements": placements[:DETAIL_ROWS],
        "placements_plus": len(placements) > DETAIL_ROWS,
        "bilan": bilan,
        "can_manage": can_manage,
    }
    if can_manage:
        context["contact_form"] = ContactForm(prefix="contact")
        context["interaction_form"] = InteractionForm(
            prefix="echange", entreprise=entreprise, request=request, initial={"date": timezone.localdate()}
        )
        context["offre_form"] = OffreForm(prefix="offre", initial={"date_publication": timezone.localdate()})
    return render(request, "employers/entreprise_detail.html", context)


def _child_create(request, pk, form_class, prefix, label, **form_kwargs):
    entreprise = get_for_request_or_404(request, Entreprise, pk=pk)
    kwargs = {"entreprise": entreprise, "request": request} if form_class is InteractionForm else {}
    form = form_class(request.POST or None, prefix=prefix, **kwargs, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        obj.entreprise = entreprise
        if hasattr(obj, "auteur_id"):
            obj.auteur = request.user
        obj.save()
        messages.success(request, f"{label} enregistré.")
        return redirect(entreprise)
    status = 422 if form.errors else 200
    context = {"form": form, "entreprise": entreprise, "label": label}
    return render(request, "employers/entreprise_child_form.html", context, status=status)


@entreprise_managers
def contact_create(request, pk):
    return _child_create(request, pk, ContactForm, "contact", "Contact")


@entreprise_managers
def interaction_create(request, pk):
    return _child_create(request, pk, InteractionForm, "echange", "Échange")


@entreprise_managers
def offre_create(request, pk):
    return _child_create(request, pk, OffreForm, "offre", "Offre")


# --- Placements and follow-up in post ------------------------------------------------------------------


@staff_required
def placement_list(request):
    placements = (
        Placement.objects.for_request(request)
        .select_related("jeune", "entreprise")
        .annotate(nb_suivis=Count("suivis"))
        .order_by("-date_debut", "-pk")
    )
    placements, filtre = filter_by_owner(request, placements)
    page = Paginator(placements, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "employers/placement_list.html",
        {
            "page": page,
            "can_manage": current_role(request) in MANAGER_ROLES,
            "query": query.urlencode(),
            "filtre": filtre,
        },
    )


@entreprise_managers
def placement_create(request):
    initial = {}
    if request.GET.get("entreprise", "").isdigit():
        initial["entreprise"] = request.GET["entreprise"]
    form = PlacementForm(request.POST or None, request=request, initial=initial)
    if request.method == "POST" and form.is_valid():
        placement = form.save(commit=False)
        placement.organisation = request.organisation
        placement.created_by = request.user
        placement.save()
        messages.success(request, "Placement enregistré.")
        return redirect(placement)
    return render(request, "employers/placement_form.html", {"form": form})


@entreprise_managers
def placement_update(request, pk):
    placement = get_for_request_or_404(request, Placement, pk=pk)
    form = PlacementForm(request.POST or None, instance=placement, request=request)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Placement modifié.")
        return redirect(placement)
    return render(request, "employers/placement_form.html", {"form": form, "placement": placement})


@staff_required
def placement_detail(request, pk):
    placement = get_for_request_or_404(
        request, Placement.objects.select_related("jeune", "entreprise", "offre"), pk=pk
    )
    can_manage = current_role(request) in MANAGER_ROLES
    form = None
    if can_manage:
        form = SuiviPlacementForm(request.POST or None, initial={"date": timezone.localdate()})
        if request.method == "POST" and form.is_valid():
            suivi = form.save(commit=False)
            suivi.placement = placement
            suivi.auteur = request.user
            suivi.save()
            messages.success(request, "Suivi dans l'emploi enregistré.")
            return redirect(placement)
    suivis = placement.suivis.select_related("auteur")
    return render(
        request,
        "employers/placement_detail.html",
        {"placement": placement, "suivis": suivis, "form": form, "can_manage": can_manage},
        status=422 if form is not None and form.errors else 200,
    )
