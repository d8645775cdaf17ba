"""The emulator's Redshift Data API runs real SQL on DuckDB: real rows, real errors, AWS's shapes."""

from __future__ import annotations

import json
import os
import subprocess
import time
import uuid
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError

from emulation.redshift_cluster import create_cluster

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def data_api(aws_env):
    if reason := aws_env.gap("redshift-data"):
        pytest.skip(f"EMULATOR={aws_env.backend}: {reason}")
    return boto3.client("redshift-data")


@pytest.fixture
def target(data_api):
    cluster = create_cluster(f"it-{uuid.uuid4().hex[:8]}", "dev")
    return {"ClusterIdentifier": cluster, "Database": "dev", "DbUser": "awsuser"}


def _wait(data_api, statement_id: str, timeout: float = 30.0) -> dict:
    deadline = time.monotonic() + timeout
    while (described := data_api.describe_statement(Id=statement_id))["Status"] not in (
        "FINISHED",
        "FAILED",
        "ABORTED",
    ):
        assert described["Status"] in ("SUBMITTED", "PICKED", "STARTED")
        assert time.monotonic() < deadline, f"{statement_id} still {described['Status']}"
        time.sleep(0.05)
    return described


def _run(data_api, target, sql, **extra) -> dict:
    return _wait(data_api, data_api.execute_statement(Sql=sql, **target, **extra)["Id"])


def test_query_with_parameters_returns_real_rows_in_aws_shape(data_api, target):
    _run(
        data_api,
        target,
        "create table t (id bigint, name varchar(10), price decimal(12, 2), day date, ok boolean)",
    )
    _run(
        data_api,
        target,
        "insert into t values (1, 'a', 1.50, '2026-01-01', true), (2, null, 2.25, '2026-01-02', false)",
    )
    described = _run(
        data_api,
        target,
        "select id, name, price, day, ok from t where id >= :min_id order by id",
        Parameters=[{"name": "min_id", "value": "1"}],
    )
    assert described["Status"] == "FINISHED" and described["HasResultSet"] and described["ResultRows"] == 2
    result = data_api.get_statement_result(Id=described["Id"])
    assert [(c["name"], c["typeName"]) for c in result["ColumnMetadata"]] == [
        ("id", "int8"),
        ("name", "varchar"),
        ("price", "numeric"),
        ("day", "date"),
        ("ok", "bool"),
    ]
    assert result["ColumnMetadata"][2]["precision"] == 12 and result["ColumnMetadata"][2]["scale"] == 2
    assert result["Records"] == [
        [
            {"longValue": 1},
            {"stringValue": "a"},
            {"stringValue": "1.50"},
            {"stringValue": "2026-01-01"},
            {"booleanValue": True},
        ],
        [
            {"longValue": 2},
            {"isNull": True},
            {"stringValue": "2.25"},
            {"stringValue": "2026-01-02"},
            {"booleanValue": False},
        ],
    ]
    assert result["TotalNumRows"] == 2


def test_dml_reports_rows_affected_and_has_no_result_set(data_api, target):
    _run(data_api, target, "create table t (id bigint)")
    described = _run(data_api, target, "insert into t select 1 union all select 2 union all select 3")
    assert (described["HasResultSet"], described["ResultRows"]) == (False, 3)
    with pytest.raises(ClientError, match="does not have result"):
        data_api.get_statement_result(Id=described["Id"])


def test_failures_carry_the_real_error(data_api, target):
    missing = _run(data_api, target, "select * from no_such_table")
    assert missing["Status"] == "FAILED" and "no_such_table" in missing["Error"]
    rejected = _run(data_api, target, "create index ix on t (a)")
    assert rejected["Status"] == "FAILED" and "create index — Redshift rejects it" in rejected["Error"]


def test_no_statement_reads_a_file_of_the_machine(data_api, target, tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("password\nhunter2\n")
    through_a_function = _run(data_api, target, f"select count(*) from read_csv('{secret}')")
    assert through_a_function["Status"] == "FAILED"
    assert "function read_csv() — Redshift rejects it" in through_a_function["Error"]
    # the gate lets a quoted name through, and DuckDB would read a file of that name as a table
    as_a_table = _run(data_api, target, f"select count(*) from '{secret}'")
    assert as_a_table["Status"] == "FAILED"
    assert "file system operations are disabled by configuration" in as_a_table["Error"]


def test_batch_is_one_transaction(data_api, target):
    sqls = [
        "create table b (id bigint)",
        "insert into b values (1)",
        "insert into b select * from missing_table",
    ]
    failed = _wait(data_api, data_api.batch_execute_statement(Sqls=sqls, **target)["Id"])
    assert failed["Status"] == "FAILED" and "missing_table" in failed["Error"]
    assert [s["Status"] for s in failed["SubStatements"]] == ["FINISHED", "FINISHED", "FAILED"]
    assert _run(data_api, target, "select count(*) from b")["Status"] == "FAILED", "the batch must roll back"

    ok = _wait(
        data_api,
        data_api.batch_execute_statement(
            Sqls=[*sqls[:2], "select count(*) as n from b"], StatementName="it-batch", **target
        )["Id"],
    )
    assert ok["Status"] == "FINISHED" and [s["Id"] for s in ok["SubStatements"]][2] == f"{ok['Id']}:3"
    assert data_api.get_statement_result(Id=f"{ok['Id']}:3")["Records"] == [[{"longValue": 1}]]
    listed = data_api.list_statements(StatementName="it-batch")["Statements"]
    assert [(s["Id"], s["IsBatchStatement"], s["Status"]) for s in listed] == [(ok["Id"], True, "FINISHED")]


def test_batch_limits_follow_aws(data_api, target):
    with pytest.raises(ClientError, match="1 to 40"):
        data_api.batch_execute_statement(Sqls=["select 1"] * 41, **target)


def test_a_session_keeps_temporary_tables_between_calls_until_it_closes(data_api, target):
    opened = data_api.batch_execute_statement(
        Sqls=["create temp table staged (a bigint)", "insert into staged values (1), (2)"],
        SessionKeepAliveSeconds=60,
        **target,
    )
    assert _wait(data_api, opened["Id"])["Status"] == "FINISHED"
    session = opened["SessionId"]
    in_session = data_api.execute_statement(
        Sql="select count(*) as n from staged", SessionId=session, SessionKeepAliveSeconds=0
    )
    described = _wait(data_api, in_session["Id"])
    assert (in_session["SessionId"], described["SessionId"], described["Status"]) == (
        session,
        session,
        "FINISHED",
    )
    assert data_api.get_statement_result(Id=in_session["Id"])["Records"] == [[{"longValue": 2}]]
    outside = _run(data_api, target, "select count(*) from staged")
    assert outside["Status"] == "FAILED" and "staged" in outside["Error"]
    with pytest.raises(ClientError, match=f"Session {session} is closed"):  # keep-alive 0 closed it
        data_api.execute_statement(Sql="select 1", SessionId=session)


def test_a_call_in_a_session_names_no_target_of_its_own(data_api, target):
    with pytest.raises(ClientError, match="leave out ClusterIdentifier, Database, DbUser"):
        data_api.execute_statement(Sql="select 1", SessionId=str(uuid.uuid4()), **target)


def test_describe_statement_waits_for_the_end_when_asked(data_api, target):
    sqls = [f"create table w{n} as select {n} as a" for n in range(30)]
    submitted = data_api.batch_execute_statement(Sqls=sqls, **target)
    started = time.monotonic()
    described = data_api.describe_statement(Id=submitted["Id"], WaitTimeSeconds=20)
    assert described["Status"] == "FINISHED"
    assert time.monotonic() - started < 10, "the answer comes when the statement ends, not after the wait"


def test_aws_cli_runs_a_statement_and_reads_rows_back(data_api, target, aws_env):
    aws = [str(REPO_ROOT / ".venv" / "bin" / "aws"), "redshift-data", "--output", "json"]
    where = ["--cluster-identifier", target["ClusterIdentifier"], "--database", "dev", "--db-user", "awsuser"]
    submitted = json.loads(
        subprocess.run(
            [
                *aws,
                "execute-statement",
                *where,
                "--sql",
                "select 6 * :n as answer, 'cli' as via",
                "--parameters",
                "name=n,value=7",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    assert _wait(data_api, submitted["Id"])["Status"] == "FINISHED"
    result = json.loads(
        subprocess.run(
            [*aws, "get-statement-result", "--id", submitted["Id"]],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    assert result["Records"] == [[{"longValue": 42}, {"stringValue": "cli"}]]


def test_tables_statements_and_clusters_survive_an_emulator_restart(tmp_path, monkeypatch):
    from emulation import launcher

    if os.environ.get("EMULATOR", "moto") != "moto":
        pytest.skip("the DuckDB-backed Redshift Data API is part of the moto emulator")
    state_dir, port = tmp_path / "state", launcher.free_port()
    emulator, _ = launcher.start(port=port, state_dir=state_dir)
    try:
        for key, value in emulator.sdk_environment().items():
            monkeypatch.setenv(key, value)
        boto3.client("redshift").create_cluster(
            ClusterIdentifier="it-restart",
            NodeType="ra3.xlplus",
            MasterUsername="awsuser",
            MasterUserPassword="Passw0rd-local",
        )
        data_api = boto3.client("redshift-data")
        where = {"ClusterIdentifier": "it-restart", "Database": "dev", "DbUser": "awsuser"}
        _run(data_api, where, "create table kept (id bigint)")
        inserted = _run(data_api, where, "insert into kept values (7)")
        time.sleep(6)  # the emulator snapshots its backends every 5 s after a write
        launcher.stop(state_dir)
        launcher.start(port=port, state_dir=state_dir)
        data_api = boto3.client("redshift-data")
        assert data_api.describe_statement(Id=inserted["Id"])["Status"] == "FINISHED"
        rows = data_api.get_statement_result(Id=_run(data_api, where, "select id from kept")["Id"])["Records"]
        assert rows == [[{"longValue": 7}]]
        # both backends keep their own state: Redshift Data's must not overwrite Redshift's clusters
        clusters = boto3.client("redshift").describe_clusters()["Clusters"]
        assert [c["ClusterIdentifier"] for c in clusters] == ["it-restart"]
    finally:
        launcher.stop(state_dir)


def test_a_cluster_or_workgroup_that_does_not_exist_is_refused_as_aws_does(data_api):
    for call in (
        lambda target: data_api.execute_statement(Sql="select 1", **target),
        lambda target: data_api.list_databases(**target),
        lambda target: data_api.describe_table(**target, Table="t"),
    ):
        with pytest.raises(data_api.exceptions.ValidationException, match="no cluster it-absent"):
            call({"ClusterIdentifier": "it-absent", "Database": "dev", "DbUser": "awsuser"})
        with pytest.raises(data_api.exceptions.ValidationException, match="workgroup it-absent-wg"):
            call({"WorkgroupName": "it-absent-wg", "Database": "dev"})


def test_a_database_the_cluster_does_not_have_is_not_created(data_api, target):
    elsewhere = {**target, "Database": "nodb"}
    failed = _run(data_api, elsewhere, "create table t (id int)")
    assert failed["Status"] == "FAILED"
    assert 'database "nodb" does not exist' in failed["Error"] and "has dev" in failed["Error"]
    with pytest.raises(ClientError, match="DatabaseConnectionException"):
        data_api.list_tables(**elsewhere)
    with pytest.raises(ClientError, match="DatabaseConnectionException"):
        data_api.list_schemas(**target, ConnectedDatabase="nodb")
    assert data_api.list_databases(**target)["Databases"] == ["dev"]


def test_listing_calls_read_the_catalog_in_aws_shapes(data_api, target):
    for sql in (
        "create schema sales",
        "create table sales.orders (order_id bigint not null, amount decimal(12, 2), note varchar(20))",
        "create table sales.order_items (order_id bigint)",
        "create table customers (customer_id int)",
    ):
        assert _run(data_api, target, sql)["Status"] == "FINISHED", sql

    schemas = data_api.list_schemas(**target)["Schemas"]
    assert {"public", "sales", "information_schema", "pg_catalog"} <= set(schemas)
    assert data_api.list_schemas(**target, SchemaPattern="sal%")["Schemas"] == ["sales"]

    tables = data_api.list_tables(**target, SchemaPattern="sales")["Tables"]
    assert tables == [
        {"schema": "sales", "name": "order_items", "type": "TABLE"},
        {"schema": "sales", "name": "orders", "type": "TABLE"},
    ]
    assert [t["name"] for t in data_api.list_tables(**target, TablePattern="cust_mers")["Tables"]] == [
        "customers"
    ]
    first = data_api.list_tables(**target, MaxResults=2)
    rest = data_api.list_tables(**target, MaxResults=2, NextToken=first["NextToken"])
    assert [t["name"] for t in first["Tables"] + rest["Tables"]] == ["customers", "order_items", "orders"]
    assert "NextToken" not in rest

    described = data_api.describe_table(**target, Schema="sales", Table="orders")
    assert described["TableName"] == "orders"
    columns = {c["name"]: c for c in described["ColumnList"]}
    assert list(columns) == ["order_id", "amount", "note"]
    assert (columns["order_id"]["typeName"], columns["order_id"]["nullable"]) == ("int8", 0)
    assert (columns["amount"]["precision"], columns["amount"]["scale"], columns["amount"]["nullable"]) == (
        12,
        2,
        1,
    )
    assert {c["schemaName"] for c in columns.values()} == {"sales"}
    assert {c["tableName"] for c in columns.values()} == {"orders"}
