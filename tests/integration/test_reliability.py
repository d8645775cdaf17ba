"""Reliability (issue 9): a killed ETL job, a killed warehouse load, a restarted emulator, re-runs and
out-of-order days, on one emulator of this module's own (it is restarted and killed here).

Days 0-2 (datagen scale 0.05) are landed and processed once by the raw-to-processed job script and
loaded into the warehouse; the fingerprints of that clean run are what every recovery must reproduce.
Components are driven as the Glue jobs run them (the job scripts in a subprocess, the warehouse
runner); the emulator restart goes through the real Glue job run API.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import boto3
import pyarrow.parquet as pq
import pytest
from service_role import allow_all_role

from datagen.batch import generate_day
from datagen.writer import write_batch
from ecomdwh.config import bucket
from ecomdwh.warehouse import runner
from emulation import launcher
from emulation.patches.glue import RESTART_MESSAGE
from emulation.redshift_cluster import create_cluster

REPO_ROOT = Path(__file__).resolve().parents[2]
SCALE, SEED, DAYS = 0.05, 7, 3
ETL_SCRIPT = REPO_ROOT / "etl" / "jobs" / "raw_to_processed.py"
LOAD_SCRIPT = REPO_ROOT / "etl" / "jobs" / "load_warehouse.py"
ENTITY = "customers"  # the batch the ETL crash cases cut off and re-run (one entity keeps them short)
# Surrogate keys are identity values numbered by insert order, which differs between warehouses; a
# row's key is replaced by the natural key of the dimension row it points to.
SURROGATES = {
    "customer_sk": ("dim_customer", ("customer_id", "valid_from")),
    "product_sk": ("dim_product", ("product_id", "valid_from")),
    "geography_sk": ("dim_geography", ("country", "state", "city")),
    "channel_sk": ("dim_channel", ("channel_name",)),
}
# Left out of the warehouse fingerprint because they legitimately differ per run: stg_* tables are
# each load's scratch (they hold the last loaded day only); pipeline_runs and dq_results hold
# execution names, run times and run ids; warehouse_loads.loaded_at is the time of the last load.
SKIPPED_TABLES = ("pipeline_runs", "dq_results")
SKIPPED_COLUMNS = {"warehouse_loads": ("loaded_at",)}


@dataclass
class Stack:
    emulator: launcher.Emulator
    state_dir: Path
    ingest_dates: list[date]
    clean_processed: dict[str, tuple[str, int]] = field(default_factory=dict)
    clean_warehouse: dict[date, dict[str, tuple[str, int]]] = field(default_factory=dict)

    def restart(self, *, hard: bool = False) -> None:
        """Stops the emulator (SIGKILL when `hard`, else gracefully) and starts it on the same port
        and state directory."""
        if hard:
            assert self.emulator.pid is not None
            os.kill(self.emulator.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(
                    self.emulator.pid, 0
                )  # our child (launcher.start): reap it, or it lives on as a zombie
            assert launcher.read_status(self.state_dir) is None
        else:
            launcher.stop(self.state_dir)
        self.emulator, started = launcher.start(port=self.emulator.port, state_dir=self.state_dir)
        assert started


def _wait_until(condition: Callable[[], Any], timeout: float, what: str, poll: float = 0.2) -> Any:
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        assert time.monotonic() < deadline, f"waited {timeout:.0f}s for {what}"
        time.sleep(poll)
    return value


def _digest(rows: list[Any]) -> tuple[str, int]:
    """Order-independent: the hash of the sorted rows, and how many there are."""
    return hashlib.sha256("\n".join(sorted(map(repr, rows))).encode()).hexdigest(), len(rows)


def _keys(bucket_name: str, prefix: str = "") -> dict[str, str]:
    pages = boto3.client("s3").get_paginator("list_objects_v2").paginate(Bucket=bucket_name, Prefix=prefix)
    return {o["Key"]: o["ETag"] for page in pages for o in page.get("Contents", [])}


def processed_fingerprint() -> dict[str, tuple[str, int]]:
    """Every processed dataset (each <entity>/ingest_date=D/ and quarantine/... prefix) read as a
    reader listing the prefix reads it (as the warehouse COPY does): a leftover part of a killed run
    shows as duplicate rows. Staging (_staging/), audits (hold run ids) and manifests are left out."""
    s3 = boto3.client("s3")
    processed = bucket("processed")
    datasets: dict[str, list[tuple]] = {}
    for key in _keys(processed):
        if key.startswith("_") or not key.endswith(".parquet"):
            continue
        table = pq.read_table(io.BytesIO(s3.get_object(Bucket=processed, Key=key)["Body"].read()))
        rows = [tuple(sorted(r.items())) for r in table.to_pylist()]
        datasets.setdefault(key.rsplit("/", 1)[0], []).extend(rows)
    return {dataset: _digest(rows) for dataset, rows in sorted(datasets.items())}


def warehouse_fingerprint(warehouse: runner.RedshiftData) -> dict[str, tuple[str, int]]:
    """Every warehouse table and view (see SKIPPED_TABLES), surrogate keys resolved to natural keys."""
    names = [
        r["table_name"]
        for r in warehouse.query("select table_name from information_schema.tables order by table_name")
    ]
    natural: dict[str, dict[Any, tuple]] = {}
    for column, (dimension, key) in SURROGATES.items():
        rows = warehouse.query(f"select {column}, {', '.join(key)} from {dimension}")
        natural[column] = {r[column]: tuple(r[k] for k in key) for r in rows}
    fingerprint = {}
    for name in names:
        if name.startswith("stg_") or name in SKIPPED_TABLES:
            continue
        rows = []
        for row in warehouse.query(f"select * from {name}"):
            for column in SKIPPED_COLUMNS.get(name, ()):
                row.pop(column)
            rows.append(tuple(sorted((c, natural[c][v] if c in natural else v) for c, v in row.items())))
        fingerprint[name] = _digest(rows)
    return fingerprint


def _diff(actual: dict, expected: dict) -> dict:
    return {
        k: (actual.get(k), expected.get(k))
        for k in actual.keys() | expected.keys()
        if actual.get(k) != expected.get(k)
    }


def _job_env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO_ROOT), **extra}


def _etl_command(*arguments: str) -> list[str]:
    return [sys.executable, str(ETL_SCRIPT), "--JOB_NAME", "raw_to_processed", *arguments]


def _run(command: list[str], timeout: float = 900, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own job scripts
        command, cwd=REPO_ROOT, env=_job_env(**env), capture_output=True, text=True, timeout=timeout
    )


def _warehouse(cluster: str = runner.LOCAL_CLUSTER_ID) -> runner.RedshiftData:
    create_cluster(cluster, runner.LOCAL_DATABASE)
    if cluster == runner.LOCAL_CLUSTER_ID:
        return runner.RedshiftData()
    return runner.RedshiftData(
        runner.RedshiftTarget(database="ecomdwh", cluster_identifier=cluster, db_user="awsuser")
    )


@pytest.fixture(scope="module")
def own_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """This module's emulator (its tests restart and kill it), the SDK pointed at it."""
    state_dir = tmp_path_factory.mktemp("reliability-emulator").resolve()
    emulator, _ = launcher.start(port=launcher.free_port(), state_dir=state_dir)
    try:
        with pytest.MonkeyPatch.context() as patch:
            for key, value in emulator.sdk_environment().items():
                patch.setenv(key, value)
            yield Stack(emulator, state_dir, ingest_dates=[])
    finally:
        launcher.stop(state_dir)


@pytest.fixture(scope="module")
def stack(own_emulator: Stack) -> Stack:
    """Days 0-2 landed, processed and loaded: the clean run's fingerprints."""
    s3 = boto3.client("s3")
    for purpose in ("raw", "processed", "scripts"):
        s3.create_bucket(Bucket=bucket(purpose))
    for day in range(DAYS):
        batch = generate_day(scale=SCALE, day=day, seed=SEED, dirty_rate=0.01 if day == 0 else 0.0)
        write_batch(batch, f"s3://{bucket('raw')}")
        own_emulator.ingest_dates.append(batch.ingest_date)
    etl = _run(_etl_command())  # every landed day, one Spark session
    assert etl.returncode == 0, etl.stderr[-3000:]
    own_emulator.clean_processed = processed_fingerprint()
    warehouse = _warehouse()
    runner.apply_schema(warehouse)
    for day in own_emulator.ingest_dates:
        runner.load_day(day, warehouse)
        own_emulator.clean_warehouse[day] = warehouse_fingerprint(warehouse)
    return own_emulator


def test_rerunning_a_day_is_idempotent_and_an_out_of_order_day_is_refused(stack):
    day0, day1, day2 = stack.ingest_dates
    warehouse = _warehouse()
    clean = stack.clean_warehouse[day2]

    rerun = _run(
        [sys.executable, str(LOAD_SCRIPT), "--JOB_NAME", "load_warehouse", "--ingest_date", day1.isoformat()]
    )
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert _diff(warehouse_fingerprint(warehouse), clean) == {}, (
        "re-running day 1 after day 2 changed the warehouse"
    )

    cluster = "rel-out-of-order"
    other = _warehouse(cluster)
    runner.apply_schema(other)
    runner.load_day(day0, other)
    runner.load_day(day2, other)
    before = warehouse_fingerprint(other)
    refused = _run(
        [sys.executable, str(LOAD_SCRIPT), "--JOB_NAME", "load_warehouse", "--ingest_date", day1.isoformat()],
        ECOMDWH_REDSHIFT_CLUSTER_ID=cluster,
    )
    assert refused.returncode != 0
    assert f"OutOfOrderLoad: ingest date {day1} is older than {day2}" in refused.stderr
    assert "Load ingest dates oldest first" in refused.stderr
    assert warehouse_fingerprint(other) == before, "a refused load must change nothing"


def test_etl_killed_mid_write_then_rerun_equals_a_clean_run(stack):
    day = stack.ingest_dates[-1]
    command = _etl_command("--ingest_date", day.isoformat(), "--entities", ENTITY)
    staging = f"/{ENTITY}/ingest_date={day}/"  # the processed batch's staging, after its quarantine's commit
    job = subprocess.Popen(  # noqa: S603 - our own job script
        command,
        cwd=REPO_ROOT,
        env=_job_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        _wait_until(
            lambda: (
                job.poll() is not None or any(staging in k for k in _keys(bucket("processed"), "_staging/"))
            ),
            600,
            "the ETL job to start writing its staging output",
            poll=0.05,
        )
        assert job.poll() is None, "the ETL job finished before it could be killed mid-write"
    finally:
        os.killpg(job.pid, signal.SIGKILL)  # the job with its Spark JVM
        job.communicate(timeout=60)
    assert any(staging in k for k in _keys(bucket("processed"), "_staging/")), "killed after its commit"

    rerun = _run(command)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert _diff(processed_fingerprint(), stack.clean_processed) == {}
    assert not [k for k in _keys(bucket("processed"), "_staging/") if staging in k], (
        "the killed run's staging"
    )
    runner.load_day(day)
    assert _diff(warehouse_fingerprint(_warehouse()), stack.clean_warehouse[day]) == {}


def _wait_for_snapshot(stack: Stack) -> None:
    """A hard kill loses the emulator's writes of the last few seconds (it snapshots its state a few
    seconds after writes, emulation/persistence.py): wait for two snapshots taken after now, the
    second surely begun after every write made so far."""
    snapshot = stack.state_dir / "moto-state.pickle"
    since = time.time()
    for _ in range(2):
        boto3.client("sqs").list_queues()  # a write-method request: marks the state for snapshotting
        _wait_until(lambda since=since: snapshot.stat().st_mtime > since, 90, "an emulator state snapshot")
        since = snapshot.stat().st_mtime


def _kill_the_emulator_during_a_load(stack: Stack, warehouse: runner.RedshiftData, day: date) -> str | None:
    """Loads the days before `day` into `warehouse`, stages `day`, submits its build and SIGKILLs the
    emulator (then starts it again) once some of the build's statements ran and others did not; returns
    the statement's id, or None when the build finished before it could be killed."""
    earlier = [d for d in stack.ingest_dates if d < day]
    runner.apply_schema(warehouse)
    for each in earlier:
        runner.load_day(each, warehouse)
    assert _diff(warehouse_fingerprint(warehouse), stack.clean_warehouse[earlier[-1]]) == {}
    _wait_for_snapshot(stack)
    load = runner.day_statements(day)
    staged = warehouse.batch(
        load.staging, name=f"rel-staging-{day}", keep_alive_seconds=runner.STAGING_KEEP_ALIVE_SECONDS
    )
    submitted = warehouse.client.batch_execute_statement(
        Sqls=[s.sql for s in load.build], StatementName=f"rel-{day}", SessionId=staged["SessionId"]
    )["Id"]
    described = _wait_until(
        lambda: (
            (d := warehouse.client.describe_statement(Id=submitted))["Status"] != "SUBMITTED"
            and any(s["Status"] == "FINISHED" for s in d["SubStatements"])
            and d
        ),
        60,
        "the load to be under way",
        poll=0.005,
    )
    if described["Status"] != "STARTED":
        return None
    stack.restart(hard=True)
    return submitted


def test_warehouse_load_killed_mid_transaction_then_rerun_equals_a_clean_run(stack):
    day0, day1, day2 = stack.ingest_dates
    raw_before = _keys(bucket("raw"))

    # The client killed: the emulator runs the submitted batch to its end, and a re-run changes nothing.
    cluster = "rel-killed-client"
    runner.apply_schema(_warehouse(cluster))
    for day in (day0, day1):
        runner.load_day(day, _warehouse(cluster))
    data = boto3.client("redshift-data")
    started = datetime.now(tz=UTC)

    def submitted() -> list[dict]:  # this client's day load (other clusters loaded days of that name too)
        statements = data.list_statements(StatementName=f"ecomdwh-build-{day2}")["Statements"]
        return [s for s in statements if s["CreatedAt"] >= started]

    client = subprocess.Popen(  # noqa: S603 - our own job script
        [sys.executable, str(LOAD_SCRIPT), "--JOB_NAME", "load_warehouse", "--ingest_date", day2.isoformat()],
        cwd=REPO_ROOT,
        env=_job_env(ECOMDWH_REDSHIFT_CLUSTER_ID=cluster),
        stderr=subprocess.PIPE,
    )
    try:
        _wait_until(
            lambda: client.poll() is not None or submitted(), 120, "the load to be submitted", poll=0.01
        )
        assert client.poll() is None, "the load finished before its client could be killed"
    finally:
        client.kill()
        client.communicate(timeout=30)
    statement = submitted()[0]["Id"]
    _wait_until(
        lambda: data.describe_statement(Id=statement)["Status"] in runner.FINAL_STATES, 120, "the batch"
    )
    assert data.describe_statement(Id=statement)["Status"] == "FINISHED"
    assert _diff(warehouse_fingerprint(_warehouse(cluster)), stack.clean_warehouse[day2]) == {}
    runner.load_day(day2, _warehouse(cluster))
    assert _diff(warehouse_fingerprint(_warehouse(cluster)), stack.clean_warehouse[day2]) == {}

    # The emulator killed mid-transaction: DuckDB rolls the uncommitted day back on restart.
    for attempt in range(5):
        cluster = f"rel-killed-emulator-{attempt}"
        submitted = _kill_the_emulator_during_a_load(stack, _warehouse(cluster), day2)
        if submitted:
            break
    else:
        pytest.fail("the day's load finished five times before the emulator could be killed during it")
    warehouse = _warehouse(cluster)
    assert _diff(warehouse_fingerprint(warehouse), stack.clean_warehouse[day1]) == {}, "half a day committed"
    try:
        after = warehouse.client.describe_statement(Id=submitted)
    except warehouse.client.exceptions.ResourceNotFoundException:
        pass  # submitted after the last snapshot: the restarted emulator never heard of it
    else:
        assert after["Status"] == "FAILED" and "emulator restarted" in after["Error"]
    runner.load_day(day2, warehouse)
    assert _diff(warehouse_fingerprint(warehouse), stack.clean_warehouse[day2]) == {}
    assert _keys(bucket("raw")) == raw_before
    assert _diff(processed_fingerprint(), stack.clean_processed) == {}


def _committed_batches() -> dict[str, str]:
    """Every object a committed processed batch's manifest names, with its ETag."""
    s3, processed = boto3.client("s3"), bucket("processed")
    objects = _keys(processed)
    committed = {}
    for key in (k for k in objects if k.startswith("_manifests/") and k.endswith("manifest.json")):
        manifest = json.loads(s3.get_object(Bucket=processed, Key=key)["Body"].read())
        for entry in manifest["entries"]:
            part = entry["url"].removeprefix(f"s3://{processed}/")
            assert part in objects, f"{key} names {part}, which is gone"
            committed[part] = objects[part]
    return committed


def test_emulator_restart_during_a_glue_job_run_fails_it_clearly_and_loses_nothing(stack):
    day = stack.ingest_dates[-1]
    s3, glue = boto3.client("s3"), boto3.client("glue")
    s3.upload_file(str(ETL_SCRIPT), bucket("scripts"), "jobs/raw_to_processed.py")
    glue.create_job(
        Name="rel-raw-to-processed",
        Role=allow_all_role("glue", "glue.amazonaws.com"),
        GlueVersion="5.0",
        Command={"Name": "glueetl", "ScriptLocation": f"s3://{bucket('scripts')}/jobs/raw_to_processed.py"},
        DefaultArguments={"--entities": ENTITY},
    )
    raw_before, committed_before = _keys(bucket("raw")), _committed_batches()
    warehouse_before = warehouse_fingerprint(_warehouse())

    run_id = glue.start_job_run(JobName="rel-raw-to-processed", Arguments={"--ingest_date": day.isoformat()})[
        "JobRunId"
    ]
    staging = f"/{ENTITY}/ingest_date={day}/"
    _wait_until(
        lambda: (
            (state := glue.get_job_run(JobName="rel-raw-to-processed", RunId=run_id)["JobRun"]["JobRunState"])
            not in ("STARTING", "RUNNING")
            or (state == "RUNNING" and any(staging in k for k in _keys(bucket("processed"), "_staging/")))
        ),
        600,
        "the job run to write its staging output",
        poll=0.1,
    )
    assert (
        glue.get_job_run(JobName="rel-raw-to-processed", RunId=run_id)["JobRun"]["JobRunState"] == "RUNNING"
    )
    stack.restart()

    glue = boto3.client("glue")
    failed = glue.get_job_run(JobName="rel-raw-to-processed", RunId=run_id)["JobRun"]
    assert failed["JobRunState"] == "FAILED"
    assert failed["ErrorMessage"] == RESTART_MESSAGE
    assert _keys(bucket("raw")) == raw_before
    committed_after = _committed_batches()
    # the cut-off run may have committed its batch (a complete replacement) before the stop
    assert {k for k in committed_before if staging not in k} <= set(committed_after)
    assert warehouse_fingerprint(_warehouse()) == warehouse_before

    rerun = glue.start_job_run(JobName="rel-raw-to-processed", Arguments={"--ingest_date": day.isoformat()})[
        "JobRunId"
    ]
    done = _wait_until(
        lambda: (
            (r := glue.get_job_run(JobName="rel-raw-to-processed", RunId=rerun)["JobRun"])["JobRunState"]
            not in ("STARTING", "RUNNING")
            and r
        ),
        600,
        "the re-run",
    )
    assert done["JobRunState"] == "SUCCEEDED", done.get("ErrorMessage")
    assert _diff(processed_fingerprint(), stack.clean_processed) == {}
    runner.load_day(day)
    assert _diff(warehouse_fingerprint(_warehouse()), stack.clean_warehouse[day]) == {}


def test_emulator_restart_during_a_state_machine_execution_fails_it_clearly_and_keeps_the_machine(
    own_emulator,
):
    stack = own_emulator
    sfn = boto3.client("stepfunctions")
    role = "arn:aws:iam::123456789012:role/sfn"
    quick = sfn.create_state_machine(
        name="rel-quick",
        roleArn=role,
        definition=json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}),
    )["stateMachineArn"]
    slow = sfn.create_state_machine(
        name="rel-slow",
        roleArn=role,
        definition=json.dumps(
            {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 600, "End": True}}}
        ),
    )["stateMachineArn"]
    done = sfn.start_execution(stateMachineArn=quick, input="{}")["executionArn"]
    _wait_until(
        lambda: sfn.describe_execution(executionArn=done)["status"] == "SUCCEEDED", 30, "the quick execution"
    )
    running = sfn.start_execution(stateMachineArn=slow, input="{}")["executionArn"]
    assert sfn.describe_execution(executionArn=running)["status"] == "RUNNING"
    history = sfn.get_execution_history(executionArn=done)["events"]

    stack.restart()

    sfn = boto3.client("stepfunctions")
    assert {quick, slow} <= {m["stateMachineArn"] for m in sfn.list_state_machines()["stateMachines"]}
    cut_off = sfn.describe_execution(executionArn=running)
    assert cut_off["status"] == "FAILED"
    assert "emulator restarted" in cut_off["cause"]
    assert sfn.describe_execution(executionArn=done)["status"] == "SUCCEEDED"
    assert [e["type"] for e in sfn.get_execution_history(executionArn=done)["events"]] == [
        e["type"] for e in history
    ]
    again = sfn.start_execution(stateMachineArn=quick, input="{}")["executionArn"]
    _wait_until(
        lambda: sfn.describe_execution(executionArn=again)["status"] == "SUCCEEDED", 30, "a new execution"
    )
