"""Tiny inline raw batches for transform tests: valid rows per entity, changed one field at a time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from contract_rows import VALID  # valid rows per entity, shared with the property tests
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from ecomdwh.contracts import ENTITIES
from etl.clean import batch_rules, check_batch, rejected_rows, with_outcome
from etl.schemas import CORRUPT_RECORD, SOURCE_FILE, SOURCE_LANDED_AT, SOURCE_LINE, raw_schema

LANDED_AT = dt.datetime(2026, 1, 1, 3, 0)
RawFrame = Callable[..., DataFrame]


@pytest.fixture
def raw_frame(spark: SparkSession) -> RawFrame:
    """raw_frame("orders", {"status": "lost"}, {...}) -> raw rows: each dict overrides a valid row;
    rows come from file `batch.csv`, landed at LANDED_AT, lines 2, 3, ... (after the header), unless a
    dict overrides `_source_file`, `_source_line` or `_source_landed_at` too."""

    def build(entity: str, *overrides: dict[str, object]) -> DataFrame:
        schema = raw_schema(ENTITIES[entity])
        rows = []
        for line, override in enumerate(overrides, start=2):
            lineage = {SOURCE_FILE: "batch.csv", SOURCE_LINE: line, SOURCE_LANDED_AT: LANDED_AT}
            values = {**VALID[entity], CORRUPT_RECORD: None, **lineage, **override}
            rows.append(tuple(values[name] for name in schema.fieldNames()))
        return spark.createDataFrame(rows, schema)

    return build


@pytest.fixture(scope="module")
def known_keys(spark: SparkSession) -> dict[str, DataFrame]:
    """The processed keys VALID rows refer to: customer 1, product 7, order 100."""

    def keys(name: str, value: int) -> DataFrame:
        return spark.createDataFrame([(value,)], f"{name} bigint")

    return {
        "customers": keys("customer_id", 1),
        "products": keys("product_id", 7),
        "orders": keys("order_id", 100),
    }


Verdicts = Callable[..., DataFrame]


@pytest.fixture
def verdicts() -> Verdicts:
    """verdicts(raw, "orders", known_keys, as_of) -> one row per raw row: `_source_line`, and the `rule` and
    `reason` that reject it (both null when accepted), as the pipeline derives them: check_batch, then
    with_outcome, then rejected_rows for the reasons."""

    def judge(raw: DataFrame, entity: str, known_keys: dict[str, DataFrame], as_of: dt.date) -> DataFrame:
        contract = ENTITIES[entity]
        rules = batch_rules(contract, as_of=as_of)
        outcome = with_outcome(check_batch(raw, contract, rules, known_keys=known_keys), contract, rules)
        rejected = rejected_rows(outcome, contract, rules, as_of=as_of).select(SOURCE_LINE, "rule", "reason")
        accepted = outcome.filter(F.col("rule").isNull()).select(
            SOURCE_LINE, F.lit(None).cast("string").alias("rule"), F.lit(None).cast("string").alias("reason")
        )
        return rejected.unionByName(accepted)

    return judge
