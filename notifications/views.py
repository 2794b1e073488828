"""The user's own notifications: list, open (marks it read, then follows its link), mark all read, digest choice."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.permissions import Record, read_required
from core.shortcuts import get_for_request_or_404
from notifications import services
from notifications.forms import PreferenceForm
from notifications.models import Notification, PreferenceNotification


PAGE_SIZE = 30


@read_required(Record.NOTIFICATION)
def notification_list(request):
    notifications = Notification.objects.for_request(request).order_by("-created_at", "-pk")
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page})


@read_required(Record.NOTIFICATION)
def notification_open(request, pk):
    notification = get_for_request_or_404(request, Notification, pk=pk)
    services.marquer_lue(notification)
    if services.est_interne(notification.url):
        return redirect(notification.url)
    return redirect("notifications:list")


@require_POST
@read_required(Record.NOTIFICATION)
def notification_read_all(request):
    n = services.marquer_toutes_lues(Notification.objects.for_request(request))
    s = "s" if n > 1 else ""
    messages.success(request, f"{n} notification{s} marquée{s} comme lue{s}.")
    return redirect("notifications:list")


@read_required(Record.NOTIFICATION)
def preferences(request):
    preference = PreferenceNotification.objects.filter(user=request.user).first() or PreferenceNotification(
        user=request.user, resume_quotidien=False
    )
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Préférence enregistrée.")
        return redirect("notifications:list")
    return render(request, "notifications/preferences.html", {"form": form})
