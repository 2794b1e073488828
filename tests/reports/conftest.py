import pytest

from tests.funding.factories import OperationFactory


@pytest.fixture
def operation():
    """The NOE-shaped operation the hand-computed bilan fixtures are written against."""
    return OperationFactory(noe=True)
