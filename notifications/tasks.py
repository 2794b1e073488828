from celery import shared_task

from notifications import services


@shared_task
def envoyer_resumes_quotidiens():
    """Beat, every morning: the digest of unread notifications (counts only) to the users who asked for it."""
    return services.envoyer_resumes()
