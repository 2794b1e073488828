"""Home page by role: caseload (conseillère), dashboard (coordination), portal (partenaire); the to-do lists that
are not young people lists; the caseload transfer (coordination)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from core.models import Role
from core.permissions import Record, coordinateur_required, read_required
from home import dashboards, todo
from home.transfer import TransferForm, preview, transfer


PAGE_SIZE = 50


@never_cache
def home(request):
    """Home page by role: caseload (conseillère), dashboard (coordination), portal (partenaire)."""
    membership = request.membership
    if membership is None:
        return render(request, "home/no_membership.html", status=403)
    if membership.role == Role.PARTENAIRE:
        return redirect("/portail/")
    context = dashboards.build(request)
    return render(request, f"home/home_{membership.role}.html", context)


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@read_required(Record.RENDEZ_VOUS)
def todo_rendez_vous(request):
    rdvs = todo.rendez_vous_today(request, timezone.localdate()).select_related("jeune", "conseillere")
    return render(
        request,
        "home/todo_rendez_vous.html",
        {"page": _page(request, rdvs.order_by("debut", "pk")), "titre": "Rendez-vous aujourd'hui", "manques": False},
    )


@read_required(Record.RENDEZ_VOUS)
def todo_rendez_vous_manques(request):
    rdvs = todo.rendez_vous_manques(request, timezone.now()).select_related("jeune", "conseillere")
    return render(
        request,
        "home/todo_rendez_vous.html",
        {
            "page": _page(request, rdvs.order_by("-debut", "pk")),
            "titre": "Rendez-vous manqués à relancer",
            "manques": True,
        },
    )


@read_required(Record.ORIENTATION)
def todo_orientations(request):
    now = timezone.now()
    orientations = todo.by_urgency(todo.orientations_waiting(request), now).select_related("partenaire")
    page = _page(request, orientations)
    for orientation in page:
        delai = todo.DELAIS.get(orientation.urgence)
        orientation.echeance = orientation.soumise_le + delai if orientation.soumise_le and delai else None
    return render(request, "home/todo_orientations.html", {"page": page})


@coordinateur_required
def caseload_transfer(request):
    data = request.POST if request.method == "POST" else (request.GET if "source" in request.GET else None)
    # From the team page: « transférez son portefeuille » preselects the person who leaves (?conseillere=<id>).
    initial = {"source": request.GET["conseillere"]} if request.GET.get("conseillere", "").isdigit() else {}
    form = TransferForm(data, request=request, initial=initial)
    context = {"form": form}
    if data is not None and form.is_valid():
        source, cible = form.cleaned_data["source"], form.cleaned_data["cible"]
        if request.method == "POST":
            done = transfer(request.scope, source, cible, request.user)
            messages.success(
                request,
                f"Portefeuille transféré : {done['dossiers']} dossier{'s' if done['dossiers'] > 1 else ''} et "
                f"{done['rendez_vous']} rendez-vous à venir confiés à {cible.get_full_name() or cible.email}.",
            )
            return redirect("caseload_transfer")
        context.update(preview=preview(request.scope, source), source=source, cible=cible)
    return render(request, "home/caseload_transfer.html", context)
