"""A DuckDB-only baseline of the pipeline's transformations, for bench/bench_pipeline.py's ratios.

What it does, on one in-process DuckDB and local files only (no emulator, no S3, no Spark):
- ETL: per entity (referenced entities first), one COPY statement reads the landed raw files
  (CSV by header name, NDJSON), applies the ETL's normalisation (trim, blanks to null, lower-case
  emails, ISO country and USPS state codes, E.164 phones), the same strict casts (integers, decimals
  and dates by pattern, timestamps, boolean words), the required-field and type checks, each entity's
  business rules (allowed values, formats, ranges, date sanity up to the batch's day), referential
  checks against the processed keys of this and earlier batches, and the dedupe by business key
  (latest landed wins), and writes the accepted rows as processed Parquet in the contract's columns
  plus `ingest_date` — the layout the warehouse COPYs.
- Warehouse, DQ, analytics: the same warehouse_sql files and checks, through the project's one
  translation layer (ecomdwh.warehouse.translate) with the emulator's session settings and memory
  limit, executed on a plain duckdb connection to a database file; COPY's s3:// prefix is pointed at
  the local processed folder. DQ uses ecomdwh.dq.runner (run_checks, store_results).

What it does not replicate (so it is a lower bound on the work, not an equivalent):
- no quarantine output: rejected rows are dropped, with no per-row rule and reason, and no audit,
  watermark, manifest or quarantine-ratio threshold;
- malformed and non-UTF-8 lines are skipped by DuckDB's reader (ignore_errors) instead of being
  quarantined by a rule;
- "latest wins" orders by source file name then updated_at/event timestamp (DuckDB's CSV reader
  exposes no line numbers); the ETL orders by file name then line;
- no S3 round trips (raw and processed are local files), no Redshift Data API (no HTTP, no
  polling), no CloudWatch metrics or SNS alerts after DQ.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from ecomdwh.contracts import ENTITIES, EntityContract, decimal_digits
from ecomdwh.dq.checks import load_checks
from ecomdwh.dq.runner import run_checks, store_results
from ecomdwh.dq.step import end_of_ingest_day
from ecomdwh.manifests import copy_manifest, manifest_key
from ecomdwh.warehouse.models import load_statements, schema_statements
from ecomdwh.warehouse.runner import LOCAL_COPY_ROLE
from ecomdwh.warehouse.sql_text import SqlStatement
from ecomdwh.warehouse.translate import SESSION_SETTINGS, end_session, translate
from emulation.duckdb_engine import MEMORY_LIMIT, QUERY_PREFIXES
from etl.options import ENTITY_ORDER
from etl.rules import COUNTRY, EARLIEST_DATE, EMAIL
from etl.transforms.cast import DATE, FALSE_WORDS, INTEGER, TRUE_WORDS, decimal_pattern
from etl.transforms.normalise import COUNTRY_ALIASES, US_STATES

BUCKET = "baseline-processed"  # a valid bucket name for load_statements; rewritten to a local folder

# Business rules per entity as SQL conditions a row must pass (null passes, as in etl/rules.py);
# {as_of} is the batch's ingest date. Same rules as etl/rules.py.
RULES: dict[str, list[str]] = {
    "customers": [
        f"regexp_full_match(email, '{EMAIL}')",
        f"regexp_full_match(country, '{COUNTRY}')",
        "segment in ('consumer', 'small_business', 'corporate')",
        "signup_date between date '{earliest}' and date '{as_of}'",
        "cast(updated_at as date) between date '{earliest}' and date '{as_of}'",
    ],
    "products": [
        "price >= 0",
        "cost >= 0",
        "cast(updated_at as date) between date '{earliest}' and date '{as_of}'",
    ],
    "orders": [
        "status in ('placed', 'paid', 'shipped', 'delivered', 'cancelled', 'returned')",
        "channel in ('web', 'mobile_app', 'marketplace', 'store')",
        "payment_method in ('card', 'paypal', 'apple_pay', 'gift_card', 'bank_transfer')",
        f"regexp_full_match(shipping_country, '{COUNTRY}')",
        "discount_amount >= 0",
        "shipping_amount >= 0",
        "cast(order_ts as date) between date '{earliest}' and date '{as_of}'",
        "cast(updated_at as date) between date '{earliest}' and date '{as_of}'",
    ],
    "order_items": [
        "line_number >= 1",
        "quantity > 0",
        "unit_price >= 0",
        "discount_amount >= 0",
        "cast(updated_at as date) between date '{earliest}' and date '{as_of}'",
    ],
    "web_events": [
        "event_type in ('page_view', 'product_view', 'add_to_cart', 'checkout', 'purchase')",
        "device in ('desktop', 'mobile', 'tablet')",
        "cast(event_ts as date) between date '{earliest}' and date '{as_of}'",
    ],
}
# Referential checks (column, referenced entity, its key), as etl/rules.py ENTITY_RULES.
REFERENCES: dict[str, list[tuple[str, str, str]]] = {
    "orders": [("customer_id", "customers", "customer_id")],
    "order_items": [("order_id", "orders", "order_id"), ("product_id", "products", "product_id")],
    "web_events": [
        ("customer_id", "customers", "customer_id"),
        ("product_id", "products", "product_id"),
        ("order_id", "orders", "order_id"),
    ],
}
# Which timestamp breaks ties after the file name when deduplicating.
LATEST = {"web_events": "event_ts"}


def _words(words: tuple[str, ...]) -> str:
    return ", ".join(f"'{w}'" for w in words)


def _lookup(value: str, mapping: dict[str, str]) -> str:
    folded = f"lower(regexp_replace({value}, '\\s+', ' ', 'g'))"
    cases = " ".join(f"when '{k}' then '{v}'" for k, v in mapping.items())
    return f"(case {folded} {cases} else upper({value}) end)"


def _normalised(name: str) -> str:
    value = f"nullif(trim(\"{name}\"), '')"
    if name == "email":
        return f"lower({value})"
    if name in ("country", "shipping_country"):
        return _lookup(value, COUNTRY_ALIASES)
    if name in ("state", "shipping_state"):
        return _lookup(value, US_STATES)
    if name == "phone":
        digits = f"regexp_replace(regexp_replace(lower({value}), 'x.*$', ''), '[^0-9]', '', 'g')"
        return (
            f"(case when {digits} = '' then null when length({digits}) = 10 then '+1' || {digits} "
            f"else '+' || {digits} end)"
        )
    return value


def _typed(text: str, contract_type: str) -> str:
    if contract_type == "string":
        return text
    if contract_type == "int":
        return f"(case when regexp_full_match({text}, '{INTEGER[1:-1]}') then try_cast({text} as bigint) end)"
    if digits := decimal_digits(contract_type):
        pattern = decimal_pattern(digits[1])[1:-1]
        return (
            f"(case when regexp_full_match({text}, '{pattern}') then try_cast({text} as {contract_type}) end)"
        )
    if contract_type == "date":
        return f"(case when regexp_full_match({text}, '{DATE[1:-1]}') then try_cast({text} as date) end)"
    if contract_type == "timestamp":
        return f"try_cast({text} as timestamp)"
    if contract_type == "boolean":
        return (
            f"(case when lower({text}) in ({_words(TRUE_WORDS)}) then true "
            f"when lower({text}) in ({_words(FALSE_WORDS)}) then false end)"
        )
    raise ValueError(f"no baseline cast for {contract_type!r}")


def _reader(contract: EntityContract, raw_root: Path, ingest_date: date) -> str:
    pattern = raw_root / contract.name / f"ingest_date={ingest_date.isoformat()}" / "*"
    if contract.format == "json":
        columns = ", ".join(f"'{name}': 'varchar'" for name in contract.column_names)
        return (
            f"read_json('{pattern}.json', format = 'newline_delimited', columns = {{{columns}}}, "
            "ignore_errors = true, filename = true)"
        )
    return (
        f"read_csv('{pattern}.csv', header = true, all_varchar = true, union_by_name = true, "
        "ignore_errors = true, filename = true)"
    )


def cleaning_sql(entity: str, raw_root: Path, processed_root: Path, ingest_date: date) -> str:
    """One entity's raw -> processed as one COPY statement."""
    contract = ENTITIES[entity]
    texts = ", ".join(f'{_normalised(c.name)} as "{c.name}__text"' for c in contract.columns)
    typed = ", ".join(f'{_typed(f"{c.name}__text", c.type)} as "{c.name}"' for c in contract.columns)
    checks = [f'"{c.name}" is not null' for c in contract.columns if c.required]
    checks += [
        f'("{c.name}__text" is null or "{c.name}" is not null)'
        for c in contract.columns
        if c.type != "string"
    ]
    checks += [
        "coalesce("
        + rule.replace("{earliest}", EARLIEST_DATE.isoformat()).replace("{as_of}", ingest_date.isoformat())
        + ", true)"
        for rule in RULES[entity]
    ]
    for column, referenced, key in REFERENCES.get(entity, []):
        keys = processed_root / referenced / "*" / "*.parquet"
        checks.append(
            f'("{column}" is null or "{column}" in (select {key} from read_parquet(\'{keys}\') '
            f"where ingest_date <= date '{ingest_date.isoformat()}'))"
        )
    output = ", ".join(f'"{name}"' for name in contract.column_names)
    key = ", ".join(f'"{k}"' for k in contract.business_key)
    latest = LATEST.get(entity, "updated_at")
    target = processed_root / entity / f"ingest_date={ingest_date.isoformat()}" / "part-00000.parquet"
    return f"""
copy (
    with texts as (select filename, {texts} from {_reader(contract, raw_root, ingest_date)}),
    typed as (select *, {typed} from texts),
    valid as (select * from typed where {" and ".join(checks)})
    select {output}, date '{ingest_date.isoformat()}' as ingest_date
    from valid
    qualify row_number() over (partition by {key} order by filename desc, "{latest}" desc nulls last) = 1
) to '{target}' (format parquet)"""


def write_manifest(processed_root: Path, entity: str, ingest_date: date) -> None:
    """The batch's COPY manifest, as the ETL's commit writes it, listing the local Parquet parts."""
    prefix = f"{entity}/ingest_date={ingest_date.isoformat()}/"
    parts = sorted((processed_root / prefix).glob("*.parquet"))
    manifest = processed_root / manifest_key(prefix)
    manifest.parent.mkdir(parents=True, exist_ok=True)
    manifest.write_text(json.dumps(copy_manifest([(str(part), part.stat().st_size) for part in parts])))


@dataclass
class BaselineTimes:
    """Seconds and rows per stage and day (index = day)."""

    etl: list[float] = field(default_factory=list)
    etl_rows: list[int] = field(default_factory=list)  # accepted rows written
    warehouse: list[float] = field(default_factory=list)
    dq: list[float] = field(default_factory=list)
    analytics: list[float] = field(default_factory=list)

    def total(self) -> float:
        return sum(self.etl) + sum(self.warehouse) + sum(self.dq) + sum(self.analytics)


class BaselineWarehouse:
    """The warehouse SQL, translated as the emulator translates it, on a plain duckdb connection.
    Offers `query` and `execute` as ecomdwh.dq.runner's Warehouse protocol asks."""

    def __init__(self, database: Path, processed_root: Path) -> None:
        self.connection = duckdb.connect(str(database))
        for setting in SESSION_SETTINGS:
            self.connection.execute(setting)
        self.connection.execute(f"set memory_limit = '{MEMORY_LIMIT}'")
        self.s3_prefix, self.local_prefix = f"'s3://{BUCKET}/", f"'{processed_root}/"

    def _run(self, sql: str, parameters: dict[str, str] | None, source: str) -> list[tuple[Any, ...]]:
        duck = [s.replace(self.s3_prefix, self.local_prefix) for s in translate(sql, parameters, source)]
        for statement in duck:
            self.connection.execute(statement)
        if duck[-1].lstrip("( \n").lower().startswith(QUERY_PREFIXES):
            return self.connection.fetchall()
        return []

    def batch(self, statements: list[SqlStatement]) -> None:
        self.connection.execute("begin transaction")
        for statement in statements:
            self._run(statement.sql, None, statement.source)
        self.connection.execute("commit")

    def apply_schema(self) -> None:
        self.batch(schema_statements())
        end_session(self.connection)

    def load_day(self, ingest_date: date) -> None:
        for batch in load_statements(ingest_date, BUCKET, LOCAL_COPY_ROLE).batches().values():
            self.batch(batch)
        end_session(self.connection)  # the day's batches share one session, as the runner's do

    def execute(self, sql: str, parameters: dict[str, str] | None = None, source: str = "<sql>") -> None:
        self._run(sql, parameters, source)

    def query(self, sql: str, parameters: dict[str, str] | None = None) -> list[dict[str, Any]]:
        rows = self._run(sql, parameters, "<sql>")
        names = [column[0] for column in self.connection.description or []]
        return [dict(zip(names, row, strict=True)) for row in rows]

    def close(self) -> None:
        self.connection.close()


def run_baseline(
    raw_root: Path, work: Path, ingest_dates: list[date], analytics_queries: dict[str, str]
) -> BaselineTimes:
    """ETL, warehouse build, DQ and analytics for each date in order, timed per stage."""
    processed_root = work / "processed"
    processed_root.mkdir(parents=True, exist_ok=True)
    times = BaselineTimes()
    etl = duckdb.connect()
    etl.execute(f"set memory_limit = '{MEMORY_LIMIT}'")
    warehouse = BaselineWarehouse(work / "warehouse.duckdb", processed_root)
    checks = load_checks()
    try:
        for day, ingest_date in enumerate(ingest_dates):
            started = time.perf_counter()
            accepted = 0
            for entity in ENTITY_ORDER:
                (processed_root / entity / f"ingest_date={ingest_date.isoformat()}").mkdir(parents=True)
                accepted += etl.execute(
                    cleaning_sql(entity, raw_root, processed_root, ingest_date)
                ).fetchone()[0]
                write_manifest(processed_root, entity, ingest_date)
            times.etl.append(time.perf_counter() - started)
            times.etl_rows.append(accepted)

            started = time.perf_counter()
            if day == 0:
                warehouse.apply_schema()
            warehouse.load_day(ingest_date)
            times.warehouse.append(time.perf_counter() - started)

            started = time.perf_counter()
            store_results(run_checks(checks, warehouse, as_of=end_of_ingest_day(ingest_date)), warehouse)
            times.dq.append(time.perf_counter() - started)

            started = time.perf_counter()
            for sql in analytics_queries.values():
                warehouse.query(sql)
            times.analytics.append(time.perf_counter() - started)
    finally:
        warehouse.close()
        etl.close()
    return times
