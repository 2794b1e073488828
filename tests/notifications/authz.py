"""Authorization harness entries of /notifications/: each user reads their own, in the current organisation.

The notification of an object URL is addressed to ``world.two_org_staff`` in org_a: every user of org_b and the
partners get 404, and so does that same user acting in org_b (the harness' two-organisation check)."""

from tests.home.factories import NotificationFactory


def _notification(world, **kwargs):
    return NotificationFactory(organisation=world.org_a, destinataire=world.two_org_staff, **kwargs)


OBJECT_URLS = {
    "notifications:open": lambda world: {"pk": _notification(world).pk},
}

LIST_URLS = {
    "notifications:list": lambda world: _notification(world, titre="Zznotification secrète").titre,
}
