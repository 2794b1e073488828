from celery import shared_task

from core.heartbeat import heartbeat_write


@shared_task(ignore_result=True)
def worker_heartbeat():
    heartbeat_write()
