"""Redshift executed on DuckDB, for the emulator's Redshift Data API.

One DuckDB file per (cluster or workgroup, database) under `<state dir>/redshift/`. A DuckDB file
allows one writer, so each file has one worker thread: statements run in submission order, each
ExecuteStatement or BatchExecuteStatement in its own transaction (a batch is one transaction in
Redshift too). A call is its own session (its temporary tables are dropped after it) unless it names
a Data API session: each session has a connection of its own, whose temporary tables last until the
session is closed. A statement reads FINISHED only once its transaction has committed. SQL arrives
in Redshift dialect and goes through the project's one translation layer, which applies the strict gate first, so Redshift's
rejections fail here as well.
COPY reads Parquet from the emulator's own S3 through DuckDB's httpfs extension. Once the file is open,
the engine has no other way out: DuckDB's external access is off except for s3:// (the emulator), and its
configuration is locked, so no statement reads or writes a file of the machine (read_csv('/etc/passwd'),
ATTACH, COPY ... TO, INSTALL) or turns either back on.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import duckdb

from ecomdwh.warehouse.sql_text import SqlStatement
from ecomdwh.warehouse.translate import SESSION_SETTINGS, end_session, translate

log = logging.getLogger("emulation.duckdb_engine")
SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]")
HOST_PORT = re.compile(r"[A-Za-z0-9.-]+(:\d{1,5})?|\[[0-9A-Fa-f:]+\](:\d{1,5})?")
MEMORY_LIMIT = "4GB"
NEW_DATABASE_CONFIG = {"storage_compatibility_version": "latest"}  # its storage format writes faster
# Load speed over file size: analysing strings for dictionary+FSST and every column for run-length and
# roaring encoding cost ~0.9 s of a 14.7 s build at 1M orders; without them the file is 60% larger
# (258 MB instead of 157 MB) and the analytics queries are as fast.
SLOW_COMPRESSION_METHODS = "dict_fsst,fsst,rle,roaring"
# What a statement may still reach with external access off: S3 URLs, which httpfs sends to the
# emulator's endpoint (the secret below has no scope, so it covers every s3:// URL).
ALLOWED_DIRECTORIES = ["s3://"]
QUERY_PREFIXES = ("select", "with", "show", "describe", "values", "from", "pragma", "summarize")


@dataclass
class Outcome:
    """What one SQL statement did: its rows (if it is a query), rows affected, or its error."""

    status: str = "SUBMITTED"  # SUBMITTED | STARTED | FINISHED | FAILED | ABORTED
    error: str | None = None
    columns: list[tuple[str, str]] = field(default_factory=list)  # (name, DuckDB type)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    has_result_set: bool = False
    result_rows: int = -1
    duration_ns: int = 0


def _httpfs_extension() -> Path:
    import duckdb_extension_httpfs

    package = Path(duckdb_extension_httpfs.__file__).parent
    return package / "extensions" / f"v{duckdb.__version__}" / "httpfs.duckdb_extension"


def _sql_string(text: str) -> str:
    """A DuckDB string literal of `text` (for statements that take no prepared parameters: LOAD, SECRET)."""
    return "'" + text.replace("'", "''") + "'"


def _host_port(endpoint: str) -> str:
    netloc = urlparse(endpoint).netloc
    if not HOST_PORT.fullmatch(netloc):
        raise ValueError(f"S3 endpoint {endpoint!r} is not http(s)://host:port; set AWS_ENDPOINT_URL to one")
    return netloc


class DuckDBEngine:
    """Serialises every statement for one database file on one thread: on the file's own connection,
    or on the connection of the Data API session the call names."""

    def __init__(self, path: Path, s3_endpoint: str | None) -> None:
        self.path = path
        self.s3_endpoint = s3_endpoint
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"duckdb-{path.stem}")
        self._connection: duckdb.DuckDBPyConnection | None = None
        self._sessions: dict[str, duckdb.DuckDBPyConnection] = {}  # touched on the worker thread only

    def _connect(self) -> duckdb.DuckDBPyConnection:
        if self._connection is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = duckdb.connect(str(self.path), config=NEW_DATABASE_CONFIG)
            for setting in SESSION_SETTINGS:  # global: the locked configuration below is every session's
                connection.execute(setting.replace("set ", "set global ", 1))
            # the machine is shared with Spark and other tests; DuckDB spills to disk past this
            connection.execute(f"set memory_limit = '{MEMORY_LIMIT}'")
            connection.execute(f"set disabled_compression_methods = '{SLOW_COMPRESSION_METHODS}'")
            if self.s3_endpoint:
                connection.execute(f"load {_sql_string(str(_httpfs_extension()))}")
                connection.execute(
                    "create or replace secret emulator_s3 (type s3, key_id 'test', secret 'test', "
                    f"endpoint {_sql_string(_host_port(self.s3_endpoint))}, url_style 'path', use_ssl false, "
                    "region 'us-east-1')"
                )
            _lock_down(connection)
            self._connection = connection
        return self._connection

    def submit(
        self,
        statements: list[SqlStatement],
        parameters: dict[str, str] | None,
        outcomes: list[Outcome],
        on_done: Callable[[], None],
        session: str | None = None,
    ) -> Future[None]:
        """Queues `statements` as one transaction; fills `outcomes` (one per statement) as they run.
        Without `session` the call is a session of its own; with it, it runs in that session."""

        def run() -> None:
            try:
                self._run_call(statements, parameters, outcomes, session)
            finally:
                on_done()

        return self._executor.submit(run)

    def read_catalog(self, sql: str) -> list[tuple[Any, ...]]:
        """The rows of a read-only catalog query (information_schema), run in turn with the statements."""

        def read() -> list[tuple[Any, ...]]:
            with self._connect().cursor() as cursor:
                return cursor.execute(sql).fetchall()

        return self._executor.submit(read).result()

    def close_session(self, session: str) -> None:
        """Ends `session` once what is queued before has run: its temporary tables are dropped."""

        def close() -> None:
            connection = self._sessions.pop(session, None)
            if connection is not None:
                connection.close()

        self._executor.submit(close)

    def _session_connection(self, session: str) -> duckdb.DuckDBPyConnection:
        if session not in self._sessions:
            # same database and (locked, global) settings, its own temporary tables
            self._sessions[session] = self._connect().cursor()
        return self._sessions[session]

    def _run_call(
        self,
        statements: list[SqlStatement],
        parameters: dict[str, str] | None,
        outcomes: list[Outcome],
        session: str | None,
    ) -> None:
        try:
            connection = self._session_connection(session) if session else self._connect()
        except Exception as exc:  # noqa: BLE001 - the database cannot be opened: every statement fails
            outcomes[0].status, outcomes[0].error = "FAILED", _redshift_style_error(exc)
            for later in outcomes[1:]:
                later.status = "ABORTED"
            return
        try:
            self._run_transaction(connection, statements, parameters, outcomes)
        finally:
            if session is None:
                end_session(connection)

    def _run_transaction(
        self,
        connection: duckdb.DuckDBPyConnection,
        statements: list[SqlStatement],
        parameters: dict[str, str] | None,
        outcomes: list[Outcome],
    ) -> None:
        connection.execute("begin transaction")
        for index, (statement, outcome) in enumerate(zip(statements, outcomes, strict=True)):
            outcome.status = "STARTED"
            started = time.perf_counter_ns()
            try:
                self._run_one(connection, statement, parameters, outcome)
            except Exception as exc:  # noqa: BLE001 - any engine error is the statement's real error
                outcome.status, outcome.error = "FAILED", _redshift_style_error(exc)
                outcome.duration_ns = time.perf_counter_ns() - started
                connection.execute("rollback")
                for later in outcomes[index + 1 :]:
                    later.status = "ABORTED"
                return
            outcome.duration_ns = time.perf_counter_ns() - started
            outcome.status = "FINISHED"
        committing = time.perf_counter_ns()
        try:
            connection.execute("commit")
        except duckdb.Error as exc:
            outcomes[-1].status, outcomes[-1].error = "FAILED", _redshift_style_error(exc)
        outcomes[-1].duration_ns += time.perf_counter_ns() - committing  # the commit ends the last one

    @staticmethod
    def _run_one(
        connection: duckdb.DuckDBPyConnection,
        statement: SqlStatement,
        parameters: dict[str, str] | None,
        outcome: Outcome,
    ) -> None:
        duck_statements = translate(statement.sql, parameters, statement.source)
        for duck_sql in duck_statements:
            connection.execute(duck_sql)
        last = duck_statements[-1]
        description = connection.description or []
        rows = connection.fetchall() if description else []
        if last.lstrip("( \n").lower().startswith(QUERY_PREFIXES):
            outcome.has_result_set = True
            outcome.columns = [(column[0], str(column[1])) for column in description]
            outcome.rows = rows
            outcome.result_rows = len(rows)
        else:
            # DuckDB answers DML with one row holding the count of rows changed; DDL with none
            affected = rows[0][0] if rows and len(rows[0]) == 1 and isinstance(rows[0][0], int) else 0
            outcome.result_rows = affected

    def close(self) -> None:
        self._executor.shutdown(wait=True)
        for connection in self._sessions.values():
            connection.close()
        self._sessions.clear()
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def _lock_down(connection: duckdb.DuckDBPyConnection) -> None:
    """Turns external access off (bar ALLOWED_DIRECTORIES) and locks the configuration: from here on
    the database's own file, its spill directory and the emulator's S3 are all any statement reaches."""
    directories = ", ".join(_sql_string(directory) for directory in ALLOWED_DIRECTORIES)
    connection.execute(f"set allowed_directories = [{directories}]")
    connection.execute("set enable_external_access = false")
    connection.execute("set lock_configuration = true")


def _redshift_style_error(exc: Exception) -> str:
    return f"ERROR: {exc}".replace("\n", " ")


class EngineRegistry:
    """The engines of one emulator process, by (cluster or workgroup, database)."""

    def __init__(self, root: Path, s3_endpoint: str | None) -> None:
        self.root = root
        self.s3_endpoint = s3_endpoint
        self._engines: dict[tuple[str, str], DuckDBEngine] = {}
        self._lock = threading.Lock()

    def engine(self, target: str, database: str) -> DuckDBEngine:
        key = (target, database)
        with self._lock:
            if key not in self._engines:
                path = self.root / SAFE_NAME.sub("_", target) / f"{SAFE_NAME.sub('_', database)}.duckdb"
                log.info("Redshift database %s/%s on DuckDB file %s", target, database, path)
                self._engines[key] = DuckDBEngine(path, self.s3_endpoint)
            return self._engines[key]
