import pytest
from local_warehouse import LocalWarehouse


@pytest.fixture
def warehouse() -> LocalWarehouse:
    return LocalWarehouse()
