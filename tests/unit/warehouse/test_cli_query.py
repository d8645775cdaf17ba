"""`ecomdwh warehouse query` runs one read-only query: anything else is refused before any connection."""

import pytest
from typer.testing import CliRunner

from ecomdwh.cli import app


@pytest.mark.parametrize(
    "sql", ["select 1; drop table dim_customer", "drop table dim_customer", "delete from x"]
)
def test_a_query_that_is_not_one_select_is_refused(sql, monkeypatch):
    monkeypatch.setattr("ecomdwh.warehouse.cli._connect", lambda: pytest.fail("connected"))
    result = CliRunner().invoke(app, ["warehouse", "query", sql])
    assert result.exit_code == 2, result.output
    assert "give one select" in result.output
