"""Redshift Data API: statements really run, on DuckDB, instead of returning moto's canned rows.

ExecuteStatement and BatchExecuteStatement queue the SQL on the DuckDB engine of the target
(cluster or workgroup) and database, and answer at once, as AWS does; DescribeStatement then shows
SUBMITTED/STARTED/FINISHED/FAILED with the real error, GetStatementResult the real rows in AWS's
Records/ColumnMetadata shape, ListStatements the history. `:name` Parameters are bound by the
translation layer, never pasted into SQL by callers.

Sessions work as in AWS: a call with SessionKeepAliveSeconds opens one and answers its SessionId;
later calls that pass the SessionId (and no target) run in it, one at a time, and see its temporary
tables. A session closes once it has been idle for its keep-alive; a restart closes every session,
and a call that names a closed session fails saying so.

The target must exist, as in AWS: a ClusterIdentifier that names no cluster of the emulator's Redshift
is a ValidationException ("Redshift endpoint doesn't exist in this region", AWS's message), and so is
any WorkgroupName (the emulator has no Redshift Serverless). A Database the cluster does not have is not
created: a statement on it FAILS as Redshift's connection does (`FATAL: database "x" does not exist`),
and the synchronous catalog calls answer DatabaseConnectionException, an error AWS documents for them.
ListDatabases, ListSchemas, ListTables and DescribeTable read the cluster and DuckDB's catalog, in AWS's
shapes (DuckDB's `main` schema is Redshift's `public`).

Statement state is plain data kept in moto's backend, so the emulator's pickled snapshots hold it;
the DuckDB connections live in this module, outside any backend. The DuckDB files are kept under
`<state dir>/redshift/<cluster or workgroup>/<database>.duckdb` (emulation.runtime names the dir).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from moto.core.common_types import TYPE_RESPONSE
from moto.core.exceptions import JsonRESTError
from moto.redshift.models import redshift_backends
from moto.redshiftdata.exceptions import ResourceNotFoundException, ValidationException
from moto.redshiftdata.responses import RedshiftDataAPIServiceResponse

from ecomdwh.warehouse.sql_text import SqlStatement
from emulation import runtime
from emulation.duckdb_engine import DuckDBEngine, EngineRegistry, Outcome

BATCH_LIMIT = 40
MAX_KEEP_ALIVE_SECONDS = 86400
MAX_WAIT_SECONDS = 30  # DescribeStatement's WaitTimeSeconds
FINAL_STATES = ("FINISHED", "FAILED", "ABORTED")
TARGET_PARAMETERS = ("ClusterIdentifier", "WorkgroupName", "Database", "DbUser", "SecretArn")
PARAMETER_NAME = re.compile(r"[A-Za-z0-9_]+")
REDSHIFT_TYPES = {
    "BIGINT": "int8",
    "INTEGER": "int4",
    "SMALLINT": "int2",
    "TINYINT": "int2",
    "HUGEINT": "numeric",
    "UBIGINT": "numeric",
    "DOUBLE": "float8",
    "FLOAT": "float4",
    "VARCHAR": "varchar",
    "BOOLEAN": "bool",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "TIME": "time",
    "BLOB": "varbyte",
}
NUMERIC_TYPES = {"int8", "int4", "int2", "numeric", "float8", "float4"}
DUCKDB_SCHEMAS = {"main": "public"}  # DuckDB's default schema is Redshift's
SYSTEM_SCHEMAS = ("information_schema", "pg_catalog")
TABLE_TYPES = {"BASE TABLE": "TABLE", "VIEW": "VIEW", "LOCAL TEMPORARY": "LOCAL TEMPORARY"}
DEFAULT_PAGE_SIZE = 1000

_registry: EngineRegistry | None = None
_registry_lock = threading.Lock()
_live_ids: set[str] = set()  # statements queued by this process (others were cut off by a restart)


@dataclass
class DataSession:
    """An open Data API session: where it runs, how long it stays open when idle, what it runs now.
    Kept in this process only: its temporary tables live in a DuckDB connection, which no restart keeps."""

    id: str
    target: dict[str, Any]  # the opening call's TARGET_PARAMETERS
    keep_alive_seconds: int
    running: str | None = None  # the id of the call it runs
    idle_since: float = field(default_factory=time.monotonic)

    def expired(self, now: float) -> bool:
        return self.running is None and now - self.idle_since >= self.keep_alive_seconds


_sessions: dict[str, DataSession] = {}
_sessions_lock = threading.Lock()
_statement_ended = threading.Condition()  # notified whenever a statement's transaction ends


def _keep_alive(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_KEEP_ALIVE_SECONDS:
        raise ValidationException(
            f"SessionKeepAliveSeconds must be a whole number of seconds from 0 to {MAX_KEEP_ALIVE_SECONDS}, "
            f"got {value!r}"
        )
    return value


def _close_expired_sessions() -> None:
    now = time.monotonic()
    with _sessions_lock:
        expired = [session for session in _sessions.values() if session.expired(now)]
        for session in expired:
            del _sessions[session.id]
    for session in expired:
        _engine_of(session.target).close_session(session.id)


def _session_for_call(session_id: str, keep_alive: int | None, call_id: str) -> DataSession:
    """The open session `session_id`, marked as running `call_id`."""
    with _sessions_lock:
        session = _sessions.get(session_id)
        if session is None:
            raise ValidationException(
                f"Session {session_id} is closed: sessions close after SessionKeepAliveSeconds idle, and "
                "when the emulator restarts. Open a new one: call without SessionId, with SessionKeepAliveSeconds"
            )
        if session.running is not None:
            raise ValidationException(
                f"Session {session_id} is busy running statement {session.running}; "
                "wait until DescribeStatement shows it ended"
            )
        session.running = call_id
        if keep_alive is not None:
            session.keep_alive_seconds = keep_alive
        return session


def _session_call_ended(session: DataSession) -> None:
    with _sessions_lock:
        session.running = None
        session.idle_since = time.monotonic()
    if session.keep_alive_seconds == 0:
        _close_expired_sessions()


class DatabaseConnectionException(JsonRESTError):
    def __init__(self, message: str) -> None:
        super().__init__("DatabaseConnectionException", message)


def _missing_database_error(database: str, cluster: str, databases: set[str]) -> str:
    return (
        f'FATAL: database "{database}" does not exist (cluster {cluster} has {", ".join(sorted(databases))}; '
        "pass one of those as Database)"
    )


def _page(items: list[Any], next_token: str | None, max_results: int | None) -> tuple[list[Any], str | None]:
    """One page of `items` and the token of the next (an offset), as the listing calls page."""
    if next_token is not None and not next_token.isdigit():
        raise ValidationException(
            f"NextToken {next_token!r} was not returned by this call; omit it to start over"
        )
    start, size = int(next_token or 0), max_results or DEFAULT_PAGE_SIZE
    end = start + size
    return items[start:end], str(end) if end < len(items) else None


def _like(pattern: str | None) -> str:
    return pattern if pattern else "%"


def _matches(name: str, pattern: str) -> bool:
    """SQL LIKE, as the listing calls' SchemaPattern and TablePattern are: % any run, _ one character."""
    regex = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, name) is not None


def _engine_of(target: dict[str, Any]) -> DuckDBEngine:
    """The DuckDB engine of a call's TARGET_PARAMETERS (its cluster or workgroup, and database)."""
    return _engines().engine(target["ClusterIdentifier"] or target["WorkgroupName"], target["Database"])


def _engines() -> EngineRegistry:
    global _registry
    with _registry_lock:
        if _registry is None:
            emulator = runtime.current()
            _registry = EngineRegistry(emulator.state_dir / "redshift", emulator.endpoint_url)
        return _registry


@dataclass
class DataStatement:
    """One ExecuteStatement or BatchExecuteStatement and what became of it (plain, picklable data)."""

    id: str
    sqls: list[str]
    is_batch: bool
    database: str
    cluster_identifier: str | None
    workgroup_name: str | None
    db_user: str | None
    secret_arn: str | None
    statement_name: str | None
    parameters: list[dict[str, str]] | None
    outcomes: list[Outcome] = field(default_factory=list)
    session_id: str | None = None
    created_at: float = field(default_factory=time.time)
    updated_at: float = field(default_factory=time.time)
    ended: bool = False  # its transaction committed or rolled back: only then is it FINISHED

    @property
    def status(self) -> str:
        states = [o.status for o in self.outcomes]
        for final in ("FAILED", "ABORTED"):
            if final in states:
                return final
        if self.ended and all(s == "FINISHED" for s in states):
            return "FINISHED"
        if self.ended or self.id not in _live_ids:
            return "FAILED"
        return "SUBMITTED" if all(s == "SUBMITTED" for s in states) else "STARTED"

    @property
    def error(self) -> str | None:
        if self.id not in _live_ids and self.status == "FAILED" and not any(o.error for o in self.outcomes):
            return "the emulator restarted before this statement finished; run it again"
        return next((o.error for o in self.outcomes if o.error), None)

    def summary(self) -> dict[str, Any]:
        shape: dict[str, Any] = {
            "Id": self.id,
            "CreatedAt": self.created_at,
            "UpdatedAt": self.updated_at,
            "Status": self.status,
            "IsBatchStatement": self.is_batch,
            "SecretArn": self.secret_arn,
            "StatementName": self.statement_name,
            "SessionId": self.session_id,
        }
        if self.is_batch:
            shape["QueryStrings"] = self.sqls
        else:
            shape["QueryString"] = self.sqls[0]
            shape["QueryParameters"] = self.parameters
        return {key: value for key, value in shape.items() if value is not None}

    def describe(self) -> dict[str, Any]:
        outcomes = self.outcomes
        shape: dict[str, Any] = {
            **self.summary(),
            "ClusterIdentifier": self.cluster_identifier,
            "WorkgroupName": self.workgroup_name,
            "Database": self.database,
            "DbUser": self.db_user,
            "Duration": sum(o.duration_ns for o in outcomes) if self.status == "FINISHED" else -1,
            "Error": self.error,
            "HasResultSet": any(o.has_result_set for o in outcomes),
            "ResultRows": sum(max(o.result_rows, 0) for o in outcomes) if self.status == "FINISHED" else -1,
            "ResultSize": -1,
            "RedshiftPid": os.getpid(),
            "RedshiftQueryId": 0,
        }
        shape.pop("IsBatchStatement")
        if self.is_batch:
            shape.pop("QueryStrings")
            shape["SubStatements"] = [
                {
                    "Id": f"{self.id}:{index}",
                    "QueryString": sql,
                    "Status": outcome.status,
                    "Error": outcome.error,
                    "HasResultSet": outcome.has_result_set,
                    "ResultRows": outcome.result_rows,
                    "ResultSize": -1,
                    "Duration": outcome.duration_ns,
                    "RedshiftQueryId": 0,
                    "CreatedAt": self.created_at,
                    "UpdatedAt": self.updated_at,
                }
                for index, (sql, outcome) in enumerate(zip(self.sqls, outcomes, strict=True), start=1)
            ]
        return {key: value for key, value in shape.items() if value is not None}


def _field(value: Any) -> dict[str, Any]:
    if value is None:
        return {"isNull": True}
    if isinstance(value, bool):
        return {"booleanValue": value}
    if isinstance(value, int):
        return {"longValue": value} if -(2**63) <= value < 2**63 else {"stringValue": str(value)}
    if isinstance(value, float):
        return {"doubleValue": value}
    if isinstance(value, dt.datetime):
        return {"stringValue": value.isoformat(sep=" ")}
    if isinstance(value, bytes):
        return {"blobValue": base64.b64encode(value).decode()}
    if isinstance(value, Decimal | dt.date | dt.time | str):
        return {"stringValue": str(value)}
    return {"stringValue": json.dumps(value, default=str)}


def _column_metadata(name: str, duckdb_type: str) -> dict[str, Any]:
    precision = scale = 0
    if duckdb_type.startswith("DECIMAL("):
        precision, scale = (int(part) for part in duckdb_type[8:-1].split(","))
        type_name = "numeric"
    else:
        type_name = REDSHIFT_TYPES.get(duckdb_type, "varchar")
    return {
        "name": name,
        "label": name,
        "typeName": type_name,
        "isCaseSensitive": type_name == "varchar",
        "isCurrency": False,
        "isSigned": type_name in NUMERIC_TYPES,
        "length": 0,
        "nullable": 1,
        "precision": precision,
        "scale": scale,
        "schemaName": "",
        "tableName": "",
    }


def bound_parameters(parameters: list[dict[str, str]] | None) -> dict[str, str]:
    """ExecuteStatement's Parameters as name -> value, refused unless each is a `:name` placeholder's
    name with a string value, once. The values are bound by the translation layer as literals
    (ecomdwh.warehouse.translate), never pasted into SQL text."""
    bound: dict[str, str] = {}
    for parameter in parameters or []:
        name, value = parameter.get("name"), parameter.get("value")
        if not isinstance(name, str) or not PARAMETER_NAME.fullmatch(name):
            raise ValidationException(
                f"Parameters: name {name!r} is not a placeholder name; use letters, digits and _ (`:{name}`)"
            )
        if not isinstance(value, str):
            raise ValidationException(f"Parameters: value of {name!r} must be a string, got {value!r}")
        if name in bound:
            raise ValidationException(f"Parameters: {name!r} is given twice; give each parameter once")
        bound[name] = value
    return bound


class RedshiftDataResponses(RedshiftDataAPIServiceResponse):
    """The Redshift Data actions, replacing moto's on its response class."""

    def _statements(self) -> dict[str, Any]:
        return self.redshiftdata_backend.statements

    def _target(self) -> dict[str, Any]:
        """The call's own target and credentials (a call outside a session); its cluster must exist."""
        target = {name: self._get_param(name) for name in TARGET_PARAMETERS}
        if not target["Database"]:
            raise ValidationException("Database is required")
        if bool(target["ClusterIdentifier"]) == bool(target["WorkgroupName"]):
            raise ValidationException("Either ClusterIdentifier or WorkgroupName is required, not both")
        self._databases(target)
        return target

    def _databases(self, target: dict[str, Any]) -> set[str]:
        """The databases of the target's cluster; ValidationException, as AWS, if there is no such target."""
        if workgroup := target["WorkgroupName"]:
            raise ValidationException(
                f"Redshift Serverless workgroup {workgroup} doesn't exist in this region: the local emulator "
                "has no Redshift Serverless; use a provisioned cluster (ClusterIdentifier)"
            )
        cluster = redshift_backends[self.current_account][self.region].clusters.get(
            target["ClusterIdentifier"]
        )
        if cluster is None:
            raise ValidationException(
                f"Redshift endpoint doesn't exist in this region: no cluster {target['ClusterIdentifier']} "
                f"in {self.region}. Create it first (`make deploy` creates ecomdwh-local-warehouse), "
                "or name a cluster that exists"
            )
        return {cluster.db_name}

    def _catalog_engine(self) -> DuckDBEngine:
        """The engine of a synchronous catalog call's Database (ConnectedDatabase must exist too)."""
        target = self._target()
        databases = self._databases(target)
        for database in (self._get_param("ConnectedDatabase"), target["Database"]):
            if database and database not in databases:
                raise DatabaseConnectionException(
                    _missing_database_error(database, target["ClusterIdentifier"], databases)
                )
        return _engine_of(target)

    def _submit(self, sqls: list[str], *, is_batch: bool) -> TYPE_RESPONSE:
        _close_expired_sessions()
        call_id = str(uuid.uuid4())
        keep_alive = _keep_alive(self._get_param("SessionKeepAliveSeconds"))
        parameters = self._get_param("Parameters")
        bound = bound_parameters(parameters)
        session: DataSession | None = None
        missing: str | None = None  # the connection error, when the Database does not exist
        if session_id := self._get_param("SessionId"):
            given = [name for name in TARGET_PARAMETERS if self._get_param(name)]
            if given:
                raise ValidationException(
                    f"SessionId runs the SQL where its session was opened: leave out {', '.join(given)}"
                )
            session = _session_for_call(session_id, keep_alive, call_id)
            target = session.target
        else:
            target = self._target()
            databases = self._databases(target)
            if target["Database"] not in databases:
                missing = _missing_database_error(target["Database"], target["ClusterIdentifier"], databases)
            if keep_alive and not missing:
                session = DataSession(
                    id=str(uuid.uuid4()), target=target, keep_alive_seconds=keep_alive, running=call_id
                )
                with _sessions_lock:
                    _sessions[session.id] = session
        statement = DataStatement(
            id=call_id,
            sqls=sqls,
            is_batch=is_batch,
            database=target["Database"],
            cluster_identifier=target["ClusterIdentifier"],
            workgroup_name=target["WorkgroupName"],
            db_user=target["DbUser"],
            secret_arn=target["SecretArn"],
            statement_name=self._get_param("StatementName"),
            parameters=parameters,
            outcomes=[Outcome() for _ in sqls],
            session_id=session.id if session else None,
        )
        self._statements()[statement.id] = statement
        _live_ids.add(statement.id)
        label = statement.statement_name or statement.id
        to_run = [SqlStatement(sql=sql, source=f"{label}[{i}]:1") for i, sql in enumerate(sqls, start=1)]

        def finished() -> None:
            with _statement_ended:
                statement.updated_at = time.time()
                statement.ended = True
                _statement_ended.notify_all()
            if session is not None:
                _session_call_ended(session)

        if missing:
            statement.outcomes[0] = Outcome(status="FAILED", error=missing)
            for later in statement.outcomes[1:]:
                later.status = "ABORTED"
            finished()
        else:
            _engine_of(target).submit(to_run, bound, statement.outcomes, finished, statement.session_id)
        answer = {
            "Id": statement.id,
            "CreatedAt": statement.created_at,
            "ClusterIdentifier": statement.cluster_identifier,
            "WorkgroupName": statement.workgroup_name,
            "Database": statement.database,
            "DbUser": statement.db_user,
            "SecretArn": statement.secret_arn,
            "SessionId": statement.session_id,
        }
        return 200, {}, json.dumps({k: v for k, v in answer.items() if v is not None})

    def execute_statement(self) -> TYPE_RESPONSE:
        sql = self._get_param("Sql")
        if not sql:
            raise ValidationException("Sql is required")
        return self._submit([sql], is_batch=False)

    def batch_execute_statement(self) -> TYPE_RESPONSE:
        sqls = self._get_param("Sqls") or []
        if not 1 <= len(sqls) <= BATCH_LIMIT:
            raise ValidationException(f"Sqls must hold 1 to {BATCH_LIMIT} statements, got {len(sqls)}")
        return self._submit(list(sqls), is_batch=True)

    def _find(self, statement_id: str) -> tuple[DataStatement, int | None]:
        base, _, index = (statement_id or "").partition(":")
        statement = self._statements().get(base)
        if not isinstance(statement, DataStatement):
            raise ResourceNotFoundException()
        if index and (not statement.is_batch or not 1 <= int(index) <= len(statement.sqls)):
            raise ResourceNotFoundException()
        return statement, int(index) if index else None

    def describe_statement(self) -> TYPE_RESPONSE:
        statement, _ = self._find(self._get_param("Id"))
        wait = self._get_param("WaitTimeSeconds")
        if wait is not None:
            if isinstance(wait, bool) or not isinstance(wait, int) or not 1 <= wait <= MAX_WAIT_SECONDS:
                raise ValidationException(f"WaitTimeSeconds must be 1 to {MAX_WAIT_SECONDS}, got {wait!r}")
            with _statement_ended:
                _statement_ended.wait_for(lambda: statement.status in FINAL_STATES, timeout=wait)
        return 200, {}, json.dumps(statement.describe())

    def get_statement_result(self) -> TYPE_RESPONSE:
        statement, index = self._find(self._get_param("Id"))
        if statement.is_batch and index is None:
            raise ValidationException(
                "Id of a batch statement must name one sub-statement: <id>:<n> (see SubStatements)"
            )
        outcome = statement.outcomes[(index or 1) - 1]
        if outcome.status != "FINISHED" or not outcome.has_result_set:
            raise ValidationException(
                f"Query does not have result (status {outcome.status}). "
                "Please check query status with DescribeStatement."
            )
        body = {
            "ColumnMetadata": [_column_metadata(name, kind) for name, kind in outcome.columns],
            "Records": [[_field(value) for value in row] for row in outcome.rows],
            "TotalNumRows": len(outcome.rows),
        }
        return 200, {}, json.dumps(body)

    def list_statements(self) -> TYPE_RESPONSE:
        wanted = (self._get_param("Status") or "ALL").upper()
        name_prefix = self._get_param("StatementName") or ""
        limit = int(self._get_param("MaxResults") or 100)
        statements = sorted(
            (s for s in self._statements().values() if isinstance(s, DataStatement)),
            key=lambda s: s.created_at,
            reverse=True,
        )
        chosen = [
            s.summary()
            for s in statements
            if wanted in ("ALL", s.status) and (s.statement_name or "").startswith(name_prefix)
        ]
        return 200, {}, json.dumps({"Statements": chosen[:limit]})

    def list_databases(self) -> TYPE_RESPONSE:
        target = self._target()
        databases = self._databases(target)
        if target["Database"] not in databases:
            raise DatabaseConnectionException(
                _missing_database_error(target["Database"], target["ClusterIdentifier"], databases)
            )
        page, token = _page(sorted(databases), self._get_param("NextToken"), self._get_param("MaxResults"))
        return 200, {}, json.dumps({"Databases": page, **({"NextToken": token} if token else {})})

    def list_schemas(self) -> TYPE_RESPONSE:
        rows = self._catalog_engine().read_catalog(
            "select schema_name from information_schema.schemata where catalog_name = current_database()"
        )
        schemas = sorted({DUCKDB_SCHEMAS.get(name, name) for (name,) in rows} | set(SYSTEM_SCHEMAS))
        pattern = _like(self._get_param("SchemaPattern"))
        schemas = [name for name in schemas if _matches(name, pattern)]
        page, token = _page(schemas, self._get_param("NextToken"), self._get_param("MaxResults"))
        return 200, {}, json.dumps({"Schemas": page, **({"NextToken": token} if token else {})})

    def list_tables(self) -> TYPE_RESPONSE:
        rows = self._catalog_engine().read_catalog(
            "select table_schema, table_name, table_type from information_schema.tables "
            "where table_catalog = current_database() order by table_schema, table_name"
        )
        schema_pattern = _like(self._get_param("SchemaPattern"))
        table_pattern = _like(self._get_param("TablePattern"))
        tables = [
            {"schema": DUCKDB_SCHEMAS.get(schema, schema), "name": name, "type": TABLE_TYPES.get(kind, kind)}
            for schema, name, kind in rows
            if _matches(DUCKDB_SCHEMAS.get(schema, schema), schema_pattern) and _matches(name, table_pattern)
        ]
        page, token = _page(tables, self._get_param("NextToken"), self._get_param("MaxResults"))
        return 200, {}, json.dumps({"Tables": page, **({"NextToken": token} if token else {})})

    def describe_table(self) -> TYPE_RESPONSE:
        schema, table = self._get_param("Schema"), self._get_param("Table")
        rows = self._catalog_engine().read_catalog(
            "select table_schema, table_name, column_name, data_type, is_nullable, column_default "
            "from information_schema.columns where table_catalog = current_database() "
            "order by table_schema, table_name, ordinal_position"
        )
        columns = []
        for column_schema, column_table, name, duckdb_type, is_nullable, default in rows:
            redshift_schema = DUCKDB_SCHEMAS.get(column_schema, column_schema)
            if (schema and redshift_schema != schema) or (table and column_table != table):
                continue
            metadata = _column_metadata(name, duckdb_type)
            metadata.pop("label")
            metadata.update(
                schemaName=redshift_schema,
                tableName=column_table,
                nullable=1 if is_nullable == "YES" else 0,
                **({"columnDefault": default} if default is not None else {}),
            )
            columns.append(metadata)
        page, token = _page(columns, self._get_param("NextToken"), self._get_param("MaxResults"))
        body: dict[str, Any] = {"ColumnList": page, **({"NextToken": token} if token else {})}
        if table:
            body["TableName"] = table
        return 200, {}, json.dumps(body)

    def cancel_statement(self) -> TYPE_RESPONSE:
        statement, _ = self._find(self._get_param("Id"))
        raise ValidationException(
            f"Could not cancel a query that is already in {statement.status} state: the local "
            "emulator runs statements to completion"
        )


def apply() -> None:
    for action in (
        "execute_statement",
        "batch_execute_statement",
        "describe_statement",
        "get_statement_result",
        "list_statements",
        "cancel_statement",
        "list_databases",
        "list_schemas",
        "list_tables",
        "describe_table",
        "_statements",
        "_submit",
        "_target",
        "_databases",
        "_catalog_engine",
        "_find",
    ):
        setattr(RedshiftDataAPIServiceResponse, action, getattr(RedshiftDataResponses, action))
