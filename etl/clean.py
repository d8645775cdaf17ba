"""One entity's batch, raw rows -> checked rows -> accepted (processed contract) and rejected (quarantine)."""

from __future__ import annotations

import datetime as dt

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from ecomdwh.contracts import EntityContract
from etl.rules import ENTITY_RULES
from etl.schemas import INGEST_DATE, quarantine_schema, raw_schema
from etl.transforms.cast import typed_col, with_typed_columns
from etl.transforms.dedupe import with_duplicates_marked
from etl.transforms.validate import (
    REASON,
    RULE,
    reference_rule,
    structural_rules,
    with_first_failure,
    with_reference_flags,
)


def check_batch(
    raw: DataFrame, contract: EntityContract, *, as_of: dt.date, known_keys: dict[str, DataFrame]
) -> DataFrame:
    """Raw rows (etl.schemas.raw_schema), each contract column's typed value, and the `rule`/`reason`
    that rejects the row (null for accepted rows). `known_keys[entity]` holds the keys referential rules
    check against."""
    spec = ENTITY_RULES[contract.name]
    typed = with_reference_flags(with_typed_columns(raw, contract), spec.references, known_keys)
    rules = [*structural_rules(contract), *spec.rules(as_of), *[reference_rule(r) for r in spec.references]]
    checked = with_duplicates_marked(with_first_failure(typed, rules), contract.business_key)
    typed_values = [typed_col(name) for name in contract.column_names]
    return checked.select(*raw_schema(contract).fieldNames(), *typed_values, RULE, REASON)


def accepted_rows(checked: DataFrame, contract: EntityContract, *, as_of: dt.date) -> DataFrame:
    """The processed contract: typed contract columns, in order, then ingest_date."""
    columns = [F.col(typed_col(name)).alias(name) for name in contract.column_names]
    return checked.filter(F.col(RULE).isNull()).select(*columns, F.lit(as_of).alias(INGEST_DATE))


def rejected_rows(checked: DataFrame, contract: EntityContract, *, as_of: dt.date) -> DataFrame:
    """Quarantine rows: raw text as landed, source file and line, rule, reason, ingest_date."""
    rejected = checked.filter(F.col(RULE).isNotNull()).withColumn(INGEST_DATE, F.lit(as_of))
    return rejected.select(*quarantine_schema(contract).fieldNames())
