"""Applies the warehouse through the Redshift Data API: the same code for the emulator and for AWS.

`apply_schema` runs every model's [schema] section as one BatchExecuteStatement (one transaction in
Redshift), and `load_day` one ingest date's [load] sections as two in one Data API session: the
staging COPYs into temporary tables, then the build that reads them (models.DayLoad). Both are
idempotent: re-running a day changes nothing. Days load in ingest-date order (warehouse_loads
records each loaded date in the day's build transaction): a new date older than the newest loaded
one is refused, and a re-run of an older loaded date replays the later loaded
dates after it. The target comes from the environment:
ECOMDWH_REDSHIFT_WORKGROUP (Serverless) or ECOMDWH_REDSHIFT_CLUSTER_ID (provisioned, default
`ecomdwh-local-warehouse`), ECOMDWH_REDSHIFT_DATABASE (default `ecomdwh`), and ECOMDWH_REDSHIFT_SECRET_ARN or
ECOMDWH_REDSHIFT_DB_USER (default `awsuser`) for credentials; COPY assumes ECOMDWH_REDSHIFT_COPY_ROLE_ARN.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

import boto3

from ecomdwh.config import bucket
from ecomdwh.warehouse.models import DayLoad, load_statements, schema_statements
from ecomdwh.warehouse.sql_text import SqlStatement

FINAL_STATES = ("FINISHED", "FAILED", "ABORTED")
LONG_POLL_SECONDS = 20  # DescribeStatement's WaitTimeSeconds (1 to 30)
# The names infra/terraform/envs/local gives the warehouse, used when no environment variable says otherwise.
LOCAL_CLUSTER_ID = "ecomdwh-local-warehouse"
LOCAL_DATABASE = "ecomdwh"
LOCAL_COPY_ROLE = "arn:aws:iam::000000000000:role/ecomdwh-redshift-copy"
# How long a day's session outlives its staging call unused: the build follows at once, so this only
# bounds how long a load cut off in between keeps its staging tables.
STAGING_KEEP_ALIVE_SECONDS = 300


class WarehouseError(RuntimeError):
    """A statement Redshift failed, named by its SQL file and line, with Redshift's own error."""


class OutOfOrderLoad(WarehouseError):
    """A new ingest date older than the newest one the warehouse has loaded."""


@dataclass(frozen=True)
class RedshiftTarget:
    database: str
    cluster_identifier: str | None = None
    workgroup_name: str | None = None
    db_user: str | None = None
    secret_arn: str | None = None

    @classmethod
    def from_env(cls) -> RedshiftTarget:
        workgroup = os.environ.get("ECOMDWH_REDSHIFT_WORKGROUP")
        secret = os.environ.get("ECOMDWH_REDSHIFT_SECRET_ARN")
        return cls(
            database=os.environ.get("ECOMDWH_REDSHIFT_DATABASE", LOCAL_DATABASE),
            cluster_identifier=None
            if workgroup
            else os.environ.get("ECOMDWH_REDSHIFT_CLUSTER_ID", LOCAL_CLUSTER_ID),
            workgroup_name=workgroup,
            secret_arn=secret,
            db_user=None if secret or workgroup else os.environ.get("ECOMDWH_REDSHIFT_DB_USER", "awsuser"),
        )

    def request(self) -> dict[str, str]:
        """The target and credential arguments every Redshift Data call takes."""
        arguments = {
            "Database": self.database,
            "ClusterIdentifier": self.cluster_identifier,
            "WorkgroupName": self.workgroup_name,
            "DbUser": self.db_user,
            "SecretArn": self.secret_arn,
        }
        return {key: value for key, value in arguments.items() if value}


class RedshiftData:
    """A thin client: submit, wait, read rows; errors name the SQL file and line that failed."""

    def __init__(
        self, target: RedshiftTarget | None = None, poll_seconds: float = 0.05, timeout: float = 600
    ):
        self.target = target or RedshiftTarget.from_env()
        self.client = boto3.client("redshift-data")
        self.poll_seconds = poll_seconds
        self.timeout = timeout

    def wait(self, statement_id: str, sources: list[str]) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        delay = self.poll_seconds
        while True:
            # long poll: the answer comes as soon as the statement ends, or after WaitTimeSeconds
            described = self.client.describe_statement(Id=statement_id, WaitTimeSeconds=LONG_POLL_SECONDS)
            if described["Status"] in FINAL_STATES:
                break
            if time.monotonic() > deadline:
                raise WarehouseError(
                    f"statement {statement_id} ({sources[0]}) still runs after {self.timeout}s"
                )
            time.sleep(delay)
            delay = min(delay * 1.5, 0.25)
        if described["Status"] != "FINISHED":
            raise WarehouseError(_failure_message(described, sources))
        return described

    def execute(
        self, sql: str, parameters: dict[str, str] | None = None, source: str = "<sql>"
    ) -> dict[str, Any]:
        """Runs one statement; `:name` placeholders are bound from `parameters` by Redshift."""
        bound = [{"name": key, "value": value} for key, value in (parameters or {}).items()]
        answer = self.client.execute_statement(
            Sql=sql, **self.target.request(), **({"Parameters": bound} if bound else {})
        )
        return self.wait(answer["Id"], [source])

    def batch(
        self,
        statements: list[SqlStatement],
        name: str,
        *,
        keep_alive_seconds: int | None = None,
        session_id: str | None = None,
    ) -> dict[str, Any]:
        """Runs `statements` in order as one transaction: in the session `session_id` if given (which
        then closes `keep_alive_seconds` after), else in a session of its own, kept open for
        `keep_alive_seconds` (its DescribeStatement's SessionId names it) if given."""
        where = {"SessionId": session_id} if session_id else self.target.request()
        keep_alive = {} if keep_alive_seconds is None else {"SessionKeepAliveSeconds": keep_alive_seconds}
        answer = self.client.batch_execute_statement(
            Sqls=[s.sql for s in statements], StatementName=name, **where, **keep_alive
        )
        return self.wait(answer["Id"], [s.source for s in statements])

    def query(self, sql: str, parameters: dict[str, str] | None = None) -> list[dict[str, Any]]:
        """Rows of a query as dicts, values as the Data API types them (numbers as decimals' strings)."""
        described = self.execute(sql, parameters)
        rows: list[dict[str, Any]] = []
        token: dict[str, str] = {}
        while True:
            page = self.client.get_statement_result(Id=described["Id"], **token)
            names = [column["name"] for column in page["ColumnMetadata"]]
            rows += [dict(zip(names, map(_value, record), strict=True)) for record in page["Records"]]
            if not page.get("NextToken"):
                return rows
            token = {"NextToken": page["NextToken"]}


def _value(field: dict[str, Any]) -> Any:
    if field.get("isNull"):
        return None
    return next(iter(field.values()))


def _failure_message(described: dict[str, Any], sources: list[str]) -> str:
    failed = [(i, s) for i, s in enumerate(described.get("SubStatements", [])) if s["Status"] == "FAILED"]
    index, where = (failed[0][0], sources[failed[0][0]]) if failed else (0, sources[0])
    error = failed[0][1].get("Error") if failed else described.get("Error")
    return f"{where}: Redshift failed statement {index + 1} of {len(sources)}: {error}"


def apply_schema(warehouse: RedshiftData | None = None) -> dict[str, Any]:
    """Creates (or keeps) every table and view and the one-off seeds, in dependency order."""
    return (warehouse or RedshiftData()).batch(schema_statements(), name="ecomdwh-warehouse-schema")


def day_statements(ingest_date: date) -> DayLoad:
    """The staging and build batches of one ingest date's load, with validated bucket/role/date values."""
    role = os.environ.get("ECOMDWH_REDSHIFT_COPY_ROLE_ARN", LOCAL_COPY_ROLE)
    return load_statements(ingest_date, bucket("processed"), role)


def loaded_dates(warehouse: RedshiftData) -> list[date]:
    """The ingest dates the warehouse has loaded, oldest first."""
    rows = warehouse.query("select ingest_date from warehouse_loads order by ingest_date")
    return [date.fromisoformat(str(row["ingest_date"])) for row in rows]


def load_plan(ingest_date: date, loaded: list[date]) -> list[date]:
    """The dates to load, in order, so that loading `ingest_date` leaves what loading every date in
    order would. SCD2 versions and fact states are applied as of each day, so an older day applied
    after a newer one would silently overwrite newer states with older ones."""
    later = sorted(d for d in loaded if d > ingest_date)
    if not later:
        return [ingest_date]
    if ingest_date in loaded:
        return [ingest_date, *later]  # a re-run of an older day: re-apply the later days after it
    raise OutOfOrderLoad(
        f"ingest date {ingest_date} is older than {later[-1]}, the newest date this warehouse has loaded: "
        "loading it now would apply its customer/product versions and order states out of order. "
        f"Load ingest dates oldest first: rebuild the warehouse (drop its tables, then load every date "
        f"from the first one, {ingest_date} included, in order)"
    )


def load_day(ingest_date: date, warehouse: RedshiftData | None = None) -> list[dict[str, Any]]:
    """Loads one ingest date of processed Parquet into staging, then dimensions, facts and marts (one
    build transaction per date); a re-run of an older date replays the later loaded dates after it.
    Returns every batch's DescribeStatement, in order."""
    warehouse = warehouse or RedshiftData()
    described = []
    for day in load_plan(ingest_date, loaded_dates(warehouse)):
        load = day_statements(day)
        staged = warehouse.batch(
            load.staging, name=f"ecomdwh-staging-{day}", keep_alive_seconds=STAGING_KEEP_ALIVE_SECONDS
        )
        built = warehouse.batch(
            load.build, name=f"ecomdwh-build-{day}", session_id=staged["SessionId"], keep_alive_seconds=0
        )
        described += [staged, built]
    return described
