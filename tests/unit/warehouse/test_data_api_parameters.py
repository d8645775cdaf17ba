"""The emulated Redshift Data API binds ExecuteStatement's Parameters as values: the DuckDB engine the
patch submits to runs an injection attempt as a harmless literal, and malformed Parameters are refused
as AWS refuses them (ValidationException)."""

import pytest
from moto.redshiftdata.exceptions import ValidationException

from ecomdwh.warehouse.sql_text import SqlStatement
from emulation.duckdb_engine import DuckDBEngine, Outcome
from emulation.patches.redshift_data import bound_parameters

ATTEMPT = "2026-01-01'; drop table x; --"


def _run(
    engine: DuckDBEngine, sqls: list[str], parameters: list[dict[str, str]] | None = None
) -> list[Outcome]:
    outcomes = [Outcome() for _ in sqls]
    statements = [SqlStatement(sql=sql, source=f"test[{i}]") for i, sql in enumerate(sqls)]
    engine.submit(statements, bound_parameters(parameters), outcomes, lambda: None).result(timeout=60)
    return outcomes


def test_an_injection_attempt_in_a_parameter_is_a_value_and_the_table_survives(tmp_path):
    engine = DuckDBEngine(tmp_path / "dev.duckdb", s3_endpoint=None)
    _run(engine, ["create table x (d date, s varchar(64))", "insert into x values ('2026-01-01', 'kept')"])

    [as_text] = _run(
        engine, ["select count(*) as n, :v as v from x where s = :v"], [{"name": "v", "value": ATTEMPT}]
    )
    [as_date] = _run(
        engine, ["delete from x where d = cast(:day as date)"], [{"name": "day", "value": ATTEMPT}]
    )
    [after] = _run(engine, ["select s from x"])

    assert (as_text.status, as_text.rows) == ("FINISHED", [(0, ATTEMPT)])
    assert as_date.status == "FAILED" and "date" in as_date.error.lower()
    assert (after.status, after.rows) == ("FINISHED", [("kept",)])


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ([{"name": "day; drop table x", "value": "1"}], "is not a placeholder name"),
        ([{"name": "", "value": "1"}], "is not a placeholder name"),
        ([{"name": "day", "value": 1}], "must be a string"),
        ([{"name": "day", "value": "1"}, {"name": "day", "value": "2"}], "given twice"),
    ],
)
def test_malformed_parameters_are_refused(parameters, message):
    with pytest.raises(ValidationException, match=message):
        bound_parameters(parameters)


def test_parameters_are_bound_by_name():
    assert bound_parameters([{"name": "a", "value": "1"}, {"name": "b_2", "value": ""}]) == {
        "a": "1",
        "b_2": "",
    }
    assert bound_parameters(None) == {}
