"""The warehouse's SQL files, their sections and their dependency order.

Each file under warehouse_sql/ is one model in Redshift SQL with up to two sections, introduced by
the comment lines `-- [schema]` (idempotent DDL and one-off seeds) and `-- [load]` (the statements of
one ingest date's load). Load statements may name `${processed_bucket}`, `${ingest_date}` and
`${copy_iam_role}` inside string literals; they are substituted only with validated values, because
COPY takes no bind parameters (its FROM and IAM_ROLE must be literals).

The order is inferred, never hand-kept: a file that reads a table another file writes runs after it.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

import sqlglot
from sqlglot import exp

from ecomdwh.config import REPO_ROOT, WAREHOUSE_SQL_DIR
from ecomdwh.warehouse.sql_text import DIALECT, SqlStatement, split_statements

SQL_DIR = WAREHOUSE_SQL_DIR
SECTIONS = ("schema", "load")
SECTION_MARKER = re.compile(r"^\s*--\s*\[(\w+)\]\s*$")
BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")
BATCH_LIMIT = 40  # BatchExecuteStatement accepts at most 40 statements (one transaction in Redshift)


class ModelError(ValueError):
    """A problem in warehouse_sql/ itself, worded with the file and the fix."""


@dataclass(frozen=True)
class Model:
    path: Path
    schema: tuple[SqlStatement, ...]
    load: tuple[SqlStatement, ...]

    @property
    def name(self) -> str:
        return self.path.stem

    def statements(self) -> tuple[SqlStatement, ...]:
        return self.schema + self.load

    @property
    def stages(self) -> bool:
        """Whether its load COPYs processed data into staging (the day's first transaction)."""
        return any(isinstance(tree, exp.Copy) for tree in self._trees())

    def writes(self) -> set[str]:
        return {_target(tree) for tree in self._trees() if _target(tree)}

    def reads(self) -> set[str]:
        tables: set[str] = set()
        for tree in self._trees():
            ctes = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}
            tables |= {t.name for t in tree.find_all(exp.Table) if t.name and t.name not in ctes}
        return tables - self.writes()

    def _trees(self) -> list[exp.Expression]:
        return [sqlglot.parse_one(s.sql, read=DIALECT) for s in self.statements()]


def _target(tree: exp.Expression) -> str:
    if isinstance(tree, exp.Create | exp.Insert | exp.Copy):
        target = tree.this.this if isinstance(tree.this, exp.Schema) else tree.this
        return target.name if isinstance(target, exp.Table) else ""
    if isinstance(tree, exp.Update | exp.Delete | exp.Merge):
        return tree.this.name
    return ""


def _display(path: Path) -> str:
    return str(path.relative_to(REPO_ROOT)) if path.is_relative_to(REPO_ROOT) else str(path)


def parse_model(path: Path) -> Model:
    sections: dict[str, list[SqlStatement]] = {name: [] for name in SECTIONS}
    current: str | None = None
    lines = path.read_text().splitlines()
    starts = [(i, m.group(1)) for i, line in enumerate(lines) if (m := SECTION_MARKER.match(line))]
    if not starts:
        raise ModelError(f"{path}: no `-- [schema]` or `-- [load]` section marker; add one above the SQL")
    for position, (index, current) in enumerate(starts):
        if current not in SECTIONS:
            raise ModelError(f"{path}:{index + 1}: unknown section [{current}]; use one of {SECTIONS}")
        end = starts[position + 1][0] if position + 1 < len(starts) else len(lines)
        text = "\n".join(lines[index + 1 : end])
        sections[current] += split_statements(text, _display(path), first_line=index + 2)
    return Model(path=path, schema=tuple(sections["schema"]), load=tuple(sections["load"]))


def dependency_order(models: Iterable[Model]) -> list[Model]:
    """Models sorted so every table is written before it is read; ties broken by name."""
    pending = {m.name: m for m in models}
    writers: dict[str, str] = {}
    for model in pending.values():
        for table in model.writes():
            if table in writers:
                raise ModelError(f"{table} is written by both {writers[table]} and {model.name}; keep one")
            writers[table] = model.name
    needs = {name: {writers[t] for t in m.reads() if t in writers} for name, m in pending.items()}
    ordered: list[Model] = []
    while pending:
        ready = sorted(name for name in pending if not needs[name] - {m.name for m in ordered})
        if not ready:
            raise ModelError(
                f"dependency cycle among {sorted(pending)}: one of them must stop reading another"
            )
        ordered += [pending.pop(name) for name in ready]
    return ordered


@cache
def load_models(sql_dir: Path = SQL_DIR) -> tuple[Model, ...]:
    return tuple(dependency_order(parse_model(path) for path in sorted(sql_dir.rglob("*.sql"))))


def schema_statements(sql_dir: Path = SQL_DIR) -> list[SqlStatement]:
    """The idempotent DDL and seeds of every model, in dependency order."""
    return [s for model in load_models(sql_dir) for s in model.schema]


@dataclass(frozen=True)
class DayLoad:
    """One ingest date's load as two transactions (BatchExecuteStatement calls) in one session, run in
    this order: `staging` COPYs the day's processed batches into the stg_ tables, temporary tables of
    the session (cheaper to write: Redshift neither replicates nor backs them up, and DuckDB keeps them
    in memory); `build` applies them to dimensions, facts and marts and records the load. Staging
    commits on its own, so a build that fails or is killed leaves the warehouse as it was, and the
    build reads committed tables (DuckDB scans rows its transaction has not yet committed far more
    slowly)."""

    staging: list[SqlStatement]
    build: list[SqlStatement]

    def batches(self) -> dict[str, list[SqlStatement]]:
        """Each batch by its name, in the order they run."""
        return {"staging": self.staging, "build": self.build}


def load_statements(
    ingest_date: date, processed_bucket: str, copy_iam_role: str, sql_dir: Path = SQL_DIR
) -> DayLoad:
    """One ingest date's load: its staging and build batches (at most 40 statements each)."""
    # BatchExecuteStatement takes no Parameters, and COPY's FROM and IAM_ROLE are literals anyway: the
    # values are written into the SQL, so each is checked whole (fullmatch: `$` would let "\n..." through).
    if not isinstance(ingest_date, date) or isinstance(ingest_date, datetime):
        raise ModelError(f"ingest_date must be a date, got {ingest_date!r}")
    if not isinstance(processed_bucket, str) or not BUCKET_NAME.fullmatch(processed_bucket):
        raise ModelError(f"processed bucket {processed_bucket!r} is not a valid S3 bucket name")
    if not isinstance(copy_iam_role, str) or not ROLE_ARN.fullmatch(copy_iam_role):
        raise ModelError(
            f"COPY role {copy_iam_role!r} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)"
        )
    values = {
        "processed_bucket": processed_bucket,
        "ingest_date": ingest_date.isoformat(),
        "copy_iam_role": copy_iam_role,
    }
    stagers, builders = _load_phases(sql_dir)
    day = DayLoad(staging=_substituted(stagers, values), build=_substituted(builders, values))
    for phase, statements in day.batches().items():
        if len(statements) > BATCH_LIMIT:
            raise ModelError(
                f"the load's {phase} batch has {len(statements)} statements; BatchExecuteStatement takes at "
                f"most {BATCH_LIMIT}: merge statements or move one-off work into a [schema] section"
            )
    return day


@cache
def _load_phases(sql_dir: Path) -> tuple[tuple[Model, ...], tuple[Model, ...]]:
    """The models whose loads stage (COPY) and the rest, in dependency order; parsed once, not per day."""
    models = load_models(sql_dir)
    stagers = tuple(model for model in models if model.stages)
    staged = {table for model in stagers for table in model.writes()}
    for model in stagers:
        if model.reads() - staged:
            raise ModelError(
                f"{model.name} COPYs into staging but also reads {sorted(model.reads() - staged)}: staging "
                "commits before the build, so it may read only staging tables; move that work to a build model"
            )
    return stagers, tuple(model for model in models if model not in stagers)


def _substituted(models: Iterable[Model], values: dict[str, str]) -> list[SqlStatement]:
    return [
        SqlStatement(sql=string.Template(s.sql).substitute(values), source=s.source, line=s.line)
        for model in models
        for s in model.load
    ]
