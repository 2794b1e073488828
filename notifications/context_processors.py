from django.utils.functional import SimpleLazyObject

from notifications.models import Notification


def unread(request):
    """The bell's unread count: one query, only when a page renders it."""
    scope = getattr(request, "scope", None)
    if scope is None or scope.organisation is None or not request.user.is_authenticated:
        return {}
    return {
        "notifications_non_lues": SimpleLazyObject(
            lambda: Notification.objects.for_request(request).filter(lu_le__isnull=True).count()
        )
    }
