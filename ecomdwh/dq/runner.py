"""Runs data-quality checks through the Redshift Data API and keeps their results in `dq_results`.

The same path on both targets: each check's query goes through the warehouse's RedshiftData client
(Amazon Redshift in AWS, the emulator's DuckDB locally). A run stops the pipeline only when a check
at or above the stop severity fails; warnings are stored, published and alerted, never fatal.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from ecomdwh.dq.checks import SEVERITIES, Check, CheckError
from ecomdwh.warehouse.runner import WarehouseError


class Warehouse(Protocol):
    """What the runner needs of ecomdwh.warehouse.runner.RedshiftData."""

    def query(self, sql: str, parameters: dict[str, str] | None = None) -> list[dict[str, Any]]: ...

    def execute(self, sql: str, parameters: dict[str, str] | None = None, source: str = "<sql>") -> Any: ...


@dataclass(frozen=True)
class CheckResult:
    check: Check
    checked_rows: int
    passing_rows: int

    @property
    def score(self) -> float:
        """Share of checked rows that pass; 1 when there was nothing to check."""
        return self.passing_rows / self.checked_rows if self.checked_rows else 1.0

    @property
    def passed(self) -> bool:
        return self.score >= self.check.threshold


@dataclass(frozen=True)
class DqRun:
    run_id: str
    as_of: datetime
    checked_at: datetime
    results: tuple[CheckResult, ...]

    @property
    def failures(self) -> list[CheckResult]:
        return [r for r in self.results if not r.passed]

    def must_stop(self, stop_severity: str = "error") -> bool:
        """Whether a failed check is at or above `stop_severity` (warn < error)."""
        if stop_severity not in SEVERITIES:
            raise ValueError(
                f"stop severity {stop_severity!r} is unknown; use one of {', '.join(SEVERITIES)}"
            )
        floor = SEVERITIES.index(stop_severity)
        return any(SEVERITIES.index(r.check.severity) >= floor for r in self.failures)

    def dimension_scores(self) -> dict[str, float]:
        """The lowest check score per dimension: one failing check is not averaged away."""
        scores: dict[str, float] = {}
        for result in self.results:
            dimension = result.check.dimension
            scores[dimension] = min(scores.get(dimension, 1.0), result.score)
        return scores


def new_run_id(at: datetime) -> str:
    return f"dq-{at:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"


def run_check(check: Check, warehouse: Warehouse, as_of: datetime) -> CheckResult:
    parameters = {"as_of": as_of.strftime("%Y-%m-%d %H:%M:%S")} if check.uses_as_of else None
    try:
        rows = warehouse.query(check.sql, parameters)
    except WarehouseError as exc:
        raise WarehouseError(
            f"data-quality check {check.name!r} on {check.table} could not run: {exc}\n"
            "If the table is missing, build the warehouse first (`make demo`); if the check's SQL is wrong, "
            "fix it in warehouse_sql/dq/checks.toml."
        ) from exc
    if len(rows) != 1 or {"checked_rows", "passing_rows"} - set(rows[0]):
        raise CheckError(
            f"check {check.name!r} must return one row with checked_rows and passing_rows, got {rows[:2]!r}; "
            "fix its sql in the checks file"
        )
    checked, passing = int(rows[0]["checked_rows"] or 0), int(rows[0]["passing_rows"] or 0)
    if not 0 <= passing <= checked:
        raise CheckError(
            f"check {check.name!r} counted {passing} passing of {checked} checked rows; passing_rows must be "
            "between 0 and checked_rows: fix its sql in the checks file"
        )
    return CheckResult(check, checked, passing)


def run_checks(
    checks: Sequence[Check],
    warehouse: Warehouse,
    *,
    as_of: datetime | None = None,
    on_result: Callable[[CheckResult], None] | None = None,
) -> DqRun:
    """Runs every check in order; `as_of` (default now, UTC) is what freshness is measured against."""
    checked_at = datetime.now(UTC).replace(tzinfo=None)
    results = []
    for check in checks:
        result = run_check(check, warehouse, as_of or checked_at)
        results.append(result)
        if on_result:
            on_result(result)
    return DqRun(new_run_id(checked_at), as_of or checked_at, checked_at, tuple(results))


# dq_results columns and the Redshift type each bound parameter (always a string) is cast to.
RESULT_COLUMNS: dict[str, str | None] = {
    "run_id": None,
    "check_name": None,
    "dimension": None,
    "table_name": None,
    "checked_rows": "bigint",
    "passing_rows": "bigint",
    "score": "decimal(9, 6)",
    "threshold": "decimal(9, 6)",
    "severity": None,
    "passed": "boolean",
    "checked_at": "timestamp",
}


def _result_values(run: DqRun, result: CheckResult) -> tuple[str, ...]:
    return (
        run.run_id,
        result.check.name,
        result.check.dimension,
        result.check.table,
        str(result.checked_rows),
        str(result.passing_rows),
        f"{result.score:.6f}",
        f"{result.check.threshold:.6f}",
        result.check.severity,
        "true" if result.passed else "false",
        run.checked_at.strftime("%Y-%m-%d %H:%M:%S.%f"),  # microseconds: runs in one second stay ordered
    )


def store_results(run: DqRun, warehouse: Warehouse) -> None:
    """Inserts the run's results into dq_results as one statement, every value a bound parameter."""
    if not run.results:
        return
    parameters: dict[str, str] = {}
    rows = []
    for index, result in enumerate(run.results):
        placeholders = []
        for (column, cast_to), value in zip(RESULT_COLUMNS.items(), _result_values(run, result), strict=True):
            parameters[f"{column}_{index}"] = value
            placeholder = f":{column}_{index}"
            placeholders.append(f"cast({placeholder} as {cast_to})" if cast_to else placeholder)
        rows.append("(" + ", ".join(placeholders) + ")")
    sql = f"insert into dq_results ({', '.join(RESULT_COLUMNS)}) values\n" + ",\n".join(rows)
    warehouse.execute(sql, parameters, source=f"dq_results insert of run {run.run_id}")
