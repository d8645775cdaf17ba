import pytest
from clean_warehouse import build_clean_warehouse
from dq_warehouse import DuckDBWarehouse


@pytest.fixture
def clean() -> DuckDBWarehouse:
    return build_clean_warehouse()
