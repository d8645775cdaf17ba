"""Data-quality checks as data: read warehouse_sql/dq/checks.toml, validate it, compile each check into
one Redshift query returning (checked_rows, passing_rows), and hold every query to the warehouse's
strict gate, so a check Redshift would reject fails when the file is read, not in AWS."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecomdwh.config import REPO_ROOT, WAREHOUSE_SQL_DIR
from ecomdwh.warehouse import gate
from ecomdwh.warehouse.sql_text import split_statements

CHECKS_FILE = WAREHOUSE_SQL_DIR / "dq" / "checks.toml"
DIMENSIONS = ("completeness", "accuracy", "consistency", "validity", "uniqueness", "freshness")
SEVERITIES = ("warn", "error")  # ascending: a run stops on failures at or above its stop severity
KIND_FIELDS = {
    "not_null": ("columns",),
    "rule": ("condition",),
    "unique": ("columns",),
    "references": ("column", "parent"),
    "freshness": ("column", "max_age_hours"),
    "sql": ("sql",),
}
COMMON_FIELDS = ("name", "dimension", "table", "kind", "severity", "threshold", "where")
IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


class CheckError(ValueError):
    """A check definition that cannot run, worded with the check, the file and the fix."""


@dataclass(frozen=True)
class Check:
    name: str
    dimension: str
    table: str
    kind: str
    severity: str
    threshold: float
    sql: str  # Redshift SQL selecting checked_rows, passing_rows; may use the :as_of parameter

    @property
    def uses_as_of(self) -> bool:
        return ":as_of" in self.sql


def _where(spec: Mapping[str, Any]) -> str:
    return f"\nwhere ({spec['where']})" if spec.get("where") else ""


def _passing(condition: str) -> str:
    return f"coalesce(sum(case when {condition} then 1 else 0 end), 0) as passing_rows"


def _compile_not_null(spec: Mapping[str, Any]) -> str:
    filled = " and ".join(f"{column} is not null" for column in spec["columns"])
    return f"select count(*) as checked_rows, {_passing(filled)}\nfrom {spec['table']}{_where(spec)}"


def _compile_rule(spec: Mapping[str, Any]) -> str:
    return (
        f"select count(*) as checked_rows, {_passing(spec['condition'])}\nfrom {spec['table']}{_where(spec)}"
    )


def _compile_unique(spec: Mapping[str, Any]) -> str:
    key = ", ".join(spec["columns"])
    return (
        "select coalesce(sum(key_rows), 0) as checked_rows,\n"
        "    coalesce(sum(case when key_rows = 1 then 1 else 0 end), 0) as passing_rows\n"
        f"from (select {key}, count(*) as key_rows from {spec['table']}{_where(spec)} group by {key}) as keys"
    )


def _compile_references(spec: Mapping[str, Any]) -> str:
    parent_table, parent_column = spec["parent"].split(".")
    extra = f" and ({spec['where']})" if spec.get("where") else ""
    return (
        f"select count(*) as checked_rows, {_passing('parent.parent_key is not null')}\n"
        f"from {spec['table']} as child\n"
        f"left join (select distinct {parent_column} as parent_key from {parent_table}) as parent\n"
        f"    on parent.parent_key = child.{spec['column']}\n"
        f"where child.{spec['column']} is not null{extra}"
    )


def _compile_freshness(spec: Mapping[str, Any]) -> str:
    hours = int(spec["max_age_hours"])
    return (
        "select 1 as checked_rows,\n"
        f"    case when max({spec['column']}) >= dateadd(hour, -{hours}, cast(:as_of as timestamp))"
        " then 1 else 0 end as passing_rows\n"
        f"from {spec['table']}{_where(spec)}"
    )


COMPILERS = {
    "not_null": _compile_not_null,
    "rule": _compile_rule,
    "unique": _compile_unique,
    "references": _compile_references,
    "freshness": _compile_freshness,
    "sql": lambda spec: spec["sql"].strip(),
}


def _problems(spec: Mapping[str, Any]) -> list[str]:
    kind = spec.get("kind")
    if kind not in KIND_FIELDS:
        return [f"kind {kind!r} is unknown; use one of {', '.join(KIND_FIELDS)}"]
    problems = [f"add `{f}`" for f in ("name", "dimension", "table", *KIND_FIELDS[kind]) if f not in spec]
    unknown = set(spec) - set(COMMON_FIELDS) - set(KIND_FIELDS[kind])
    problems += [f"remove `{f}` (a {kind} check does not use it)" for f in sorted(unknown)]
    if spec.get("dimension", DIMENSIONS[0]) not in DIMENSIONS:
        problems.append(f"dimension {spec['dimension']!r} is unknown; use one of {', '.join(DIMENSIONS)}")
    if spec.get("severity", "error") not in SEVERITIES:
        problems.append(f"severity {spec['severity']!r} is unknown; use one of {', '.join(SEVERITIES)}")
    names = [spec[field] for field in ("table", "column") if field in spec] + list(spec.get("columns", []))
    if "parent" in spec:
        parent = str(spec["parent"]).split(".")
        names += parent
        if len(parent) != 2:
            problems.append(f"parent {spec['parent']!r} must be written table.column")
    problems += [f"{n!r} is not a plain lowercase identifier" for n in names if not IDENTIFIER.match(str(n))]
    if kind == "freshness" and not (isinstance(spec.get("max_age_hours"), int) and spec["max_age_hours"] > 0):
        problems.append("max_age_hours must be a positive whole number")
    if kind in ("not_null", "unique") and not spec.get("columns"):
        problems.append("columns must list at least one column")
    if "threshold" in spec and not _is_share(spec["threshold"]):
        problems.append(f"threshold {spec['threshold']!r} must be between 0 and 1 (a number)")
    return problems


def _is_share(value: Any) -> bool:
    """A number from 0 to 1 (a TOML string or boolean is not one, and would otherwise fail later)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1


def compile_check(spec: Mapping[str, Any], thresholds: Mapping[str, float], source: str) -> Check:
    """One validated, gate-checked Check from its definition; CheckError lists every problem."""
    label = f"{source}: check {spec.get('name', '<unnamed>')!r}"
    problems = _problems(spec)
    if problems:
        raise CheckError(f"{label}: " + "; ".join(problems))
    sql = COMPILERS[spec["kind"]](spec)
    statements = split_statements(sql, f"{source}[{spec['name']}]")
    if len(statements) != 1 or not statements[0].sql.lower().startswith(("select", "with")):
        raise CheckError(f"{label}: its SQL must be one select statement (no `;`), got: {sql[:200]!r}")
    try:
        gate.check_statements(statements)
    except gate.GateError as exc:
        raise CheckError(f"{label}: its SQL would fail in Redshift:\n{exc}") from exc
    return Check(
        name=spec["name"],
        dimension=spec["dimension"],
        table=spec["table"],
        kind=spec["kind"],
        severity=spec.get("severity", "error"),
        threshold=float(spec.get("threshold", thresholds[spec["dimension"]])),
        sql=sql,
    )


def parse_checks(
    document: Mapping[str, Any], source: str, threshold_overrides: Mapping[str, float] | None = None
) -> list[Check]:
    """Checks of a parsed checks document; `threshold_overrides` replace dimension defaults (not a
    check's own threshold)."""
    thresholds = {**document.get("thresholds", {}), **(threshold_overrides or {})}
    missing = [d for d in DIMENSIONS if d not in thresholds]
    unknown = [d for d in thresholds if d not in DIMENSIONS]
    if out_of_range := [f"{d}={v!r}" for d, v in thresholds.items() if not _is_share(v)]:
        raise CheckError(
            f"{source}: thresholds must be shares between 0 and 1, got {', '.join(out_of_range)}"
        )
    if missing or unknown:
        raise CheckError(
            f"{source}: [thresholds] must give exactly {', '.join(DIMENSIONS)}"
            + (f"; add {', '.join(missing)}" if missing else "")
            + (f"; remove {', '.join(unknown)}" if unknown else "")
        )
    checks = [compile_check(spec, thresholds, source) for spec in document.get("check", [])]
    seen: set[str] = set()
    for check in checks:
        if check.name in seen:
            raise CheckError(f"{source}: two checks are named {check.name!r}; rename one")
        seen.add(check.name)
    if not checks:
        raise CheckError(f"{source}: defines no [[check]]; add at least one")
    return checks


def load_checks(
    path: Path = CHECKS_FILE, threshold_overrides: Mapping[str, float] | None = None
) -> list[Check]:
    try:
        document = tomllib.loads(path.read_text())
    except FileNotFoundError as exc:
        raise CheckError(
            f"{path}: no such checks file; pass an existing one (default {CHECKS_FILE})"
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise CheckError(f"{path}: not valid TOML ({exc}); fix the syntax") from exc
    source = str(path.relative_to(REPO_ROOT)) if path.is_relative_to(REPO_ROOT) else str(path)
    return parse_checks(document, source, threshold_overrides)
