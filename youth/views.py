from django.core.paginator import Paginator
from django.shortcuts import render

from core.permissions import get_for_user_or_404, staff_required
from youth.models import Jeune


@staff_required
def jeune_list(request):
    jeunes = (
        Jeune.objects.for_user(request.user)
        .filter(organisation=request.organisation)
        .select_related("referent")
        .order_by("nom", "prenom", "pk")
    )
    page = Paginator(jeunes, 50).get_page(request.GET.get("page"))
    return render(request, "youth/jeune_list.html", {"page": page})


@staff_required
def jeune_detail(request, pk):
    jeune = get_for_user_or_404(request, Jeune, pk=pk)
    return render(request, "youth/jeune_detail.html", {"jeune": jeune})
