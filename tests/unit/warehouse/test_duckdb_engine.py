"""The emulator's DuckDB engine ends each Data API call as Redshift ends a session: after its commit,
and without the session's temporary tables; a call in a named session keeps them for the session."""

import duckdb
import pytest

from ecomdwh.warehouse.sql_text import SqlStatement
from emulation.duckdb_engine import DuckDBEngine, Outcome


def _run(engine: DuckDBEngine, *sqls: str, on_done=lambda: None, session=None) -> list[Outcome]:
    outcomes = [Outcome() for _ in sqls]
    statements = [SqlStatement(sql=sql, source=f"test[{i}]:1") for i, sql in enumerate(sqls, start=1)]
    engine.submit(statements, None, outcomes, on_done, session).result()
    return outcomes


def test_a_call_ends_only_after_its_transaction_committed(tmp_path):
    engine = DuckDBEngine(tmp_path / "warehouse.duckdb", s3_endpoint=None)
    seen_by_another_connection = []

    def on_done():  # a second connection sees committed rows only
        cursor = engine._connection.cursor()
        seen_by_another_connection.append(cursor.execute("select count(*) from t").fetchone()[0])

    try:
        outcomes = _run(engine, "create table t (a int)", "insert into t values (1), (2)", on_done=on_done)
    finally:
        engine.close()
    assert [o.status for o in outcomes] == ["FINISHED", "FINISHED"]
    assert seen_by_another_connection == [2]


def test_temporary_tables_end_with_the_call_that_created_them(tmp_path):
    engine = DuckDBEngine(tmp_path / "warehouse.duckdb", s3_endpoint=None)
    try:
        created = _run(engine, "create temp table staged (a int)", "insert into staged values (1)")
        later = _run(engine, "select count(*) from staged")
    finally:
        engine.close()
    assert [o.status for o in created] == ["FINISHED", "FINISHED"]
    assert later[0].status == "FAILED" and "staged" in later[0].error


def test_a_session_keeps_its_temporary_tables_until_it_is_closed(tmp_path):
    engine = DuckDBEngine(tmp_path / "warehouse.duckdb", s3_endpoint=None)
    try:
        _run(engine, "create temp table staged (a int)", "insert into staged values (1), (2)", session="s1")
        same_session = _run(engine, "select count(*) from staged", session="s1")
        other_session = _run(engine, "select count(*) from staged", session="s2")
        no_session = _run(engine, "select count(*) from staged")
        engine.close_session("s1")
        after_close = _run(engine, "select count(*) from staged", session="s1")
    finally:
        engine.close()
    assert same_session[0].status == "FINISHED" and same_session[0].rows == [(2,)]
    for outcome in (other_session[0], no_session[0], after_close[0]):
        assert outcome.status == "FAILED" and "staged" in outcome.error


def test_a_session_divides_integers_as_redshift_does(tmp_path):
    engine = DuckDBEngine(tmp_path / "warehouse.duckdb", s3_endpoint=None)
    try:
        divided = _run(engine, "select 7 / 2", session="s1")
    finally:
        engine.close()
    assert divided[0].rows == [(3,)]


REFUSALS = (
    "disabled by configuration",
    "the configuration has been locked",
    "Cannot enable external access while database is running",
)


def test_once_open_the_database_reaches_no_file_of_the_machine(tmp_path):
    """Beneath the gate (which refuses read_csv and friends): the engine's DuckDB itself has external
    access off and its configuration locked, on the file's connection and on a session's."""
    secret = tmp_path / "secret.csv"
    secret.write_text("password\nhunter2\n")
    engine = DuckDBEngine(tmp_path / "warehouse.duckdb", s3_endpoint=None)
    try:
        created = _run(engine, "create table t (a int)", session="s1")
        connections = {"file": engine._connection, "session": engine._sessions["s1"]}
        refused = {}
        for name, connection in connections.items():
            for sql in (
                f"select count(*) from read_csv('{secret}')",
                f"attach '{tmp_path / 'other.duckdb'}' as other",
                f"copy t to '{tmp_path / 'out.csv'}'",
                "install httpfs",
                "set enable_external_access = true",
                "set allowed_directories = ['/']",
                "set lock_configuration = false",
            ):
                with pytest.raises(duckdb.Error) as raised:
                    connection.execute(sql)
                refused[(name, sql)] = str(raised.value)
        divided = _run(engine, "select 7 / 2", session="s1")
    finally:
        engine.close()
    assert created[0].status == "FINISHED"
    for (name, sql), error in refused.items():
        assert any(reason in error for reason in REFUSALS), f"{name} connection, {sql}: {error}"
    assert not (tmp_path / "out.csv").exists() and not (tmp_path / "other.duckdb").exists()
    assert divided[0].rows == [(3,)], "the session settings hold on a locked configuration"
