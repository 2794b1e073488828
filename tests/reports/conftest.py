import pytest

from tests.funding.factories import OperationFactory
from tests.reports.celery_support import BROKER


@pytest.fixture
def operation():
    """The NOE-shaped operation the hand-computed bilan fixtures are written against."""
    return OperationFactory(noe=True)


@pytest.fixture
def celery_app():
    """The project's Celery app on the test broker (Redis db 13), not eager."""
    from config.celery import app

    keys = ("broker_url", "result_backend", "task_always_eager", "broker_transport_options")
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(
        broker_url=BROKER,
        result_backend=BROKER,
        task_always_eager=False,
        broker_transport_options={"visibility_timeout": 8},
    )
    yield app
    app.conf.update(saved)
