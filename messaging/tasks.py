"""Celery tasks of the messages: deliver one (retried with backoff on transient errors), send the reminders due."""

from celery import shared_task

from messaging import services


# Rate limit, provider or network down: again after ~30 s, 1 min, 2 min, 4 min, 8 min (jittered), then « échec ».
RETRY = {
    "autoretry_for": (services.TransientDeliveryError,),
    "retry_backoff": 30,
    "retry_backoff_max": 30 * 60,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, **RETRY)
def message_send(self, organisation_id, message_id):
    message = services.message_deliver(
        organisation_id=organisation_id, message_id=message_id, final=self.request.retries >= self.max_retries
    )
    return message.statut if message else None


@shared_task
def rappels_send():
    """Beat, every 10 minutes: the reminders of tomorrow's rendez-vous once each organisation's hour has passed."""
    return len(services.envoyer_rappels())
