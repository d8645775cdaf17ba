"""Deduplication by business key. Stated rule: among valid rows sharing a business key, the row that
arrived last wins. Arrival is the order files landed in: their S3 LastModified, then (landed in the same
instant) their key; within a file, the later line. The others are marked superseded (never dropped
silently) by the winner's file and line.

Duplicates are rare, so the batch's whole rows are never shuffled for them (a window over the batch
did that: a third of web_events' time at 1M orders): one aggregate over the valid rows' key, file and
line finds each key held by more than one valid row and its winner, and the winners are joined back to
the batch by key (broadcast, while few)."""

from __future__ import annotations

from collections.abc import Sequence

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from etl.schemas import SOURCE_FILE, SOURCE_LANDED_AT, SOURCE_LINE
from etl.transforms.cast import typed_col
from etl.transforms.validate import FAILED_RULE

DUPLICATE = "duplicate"
SUPERSEDED_BY = "superseded_by"
# Most winners (contested keys) joined back by broadcast; beyond, the join shuffles the batch's rows.
BROADCAST_MAX_WINNERS = 500_000
_WINNER = "_winner"
# Rows in order of arrival: the greatest arrived last.
_ARRIVAL = (SOURCE_LANDED_AT, SOURCE_FILE, SOURCE_LINE)


def with_duplicates_marked(checked: DataFrame, business_key: Sequence[str]) -> DataFrame:
    """Adds `superseded_by` ("<file>:<line>" of the winning row) to valid rows (`failed_rule` null)
    superseded by a valid row with the same business key that arrived later; null on every other row.
    Rows a rule rejected neither win nor lose. Runs a Spark job over `checked` now, and keeps the winners it finds
    for the jobs that read the result (which read `checked` again: it is best kept in Spark's cache)."""
    keys = [typed_col(k) for k in business_key]
    valid = checked.filter(F.col(FAILED_RULE).isNull()).select(*keys, *_ARRIVAL)
    winners = _computed(
        valid.groupBy(*keys)
        .agg(F.count("*").alias("rows"), F.max(F.struct(*_ARRIVAL)).alias(_WINNER))
        .filter(F.col("rows") > 1)
        .drop("rows")
    )
    few = winners.count() <= BROADCAST_MAX_WINNERS
    marked = checked.join(_broadcast_if(few, winners), on=keys, how="left")
    superseded = F.col(FAILED_RULE).isNull() & (F.struct(*_ARRIVAL) != F.col(_WINNER))
    return marked.select(*checked.columns, F.when(superseded, _location(F.col(_WINNER))).alias(SUPERSEDED_BY))


def duplicate_reason(business_key: Sequence[str]) -> Column:
    key = ", ".join(business_key)
    return F.concat(
        F.lit(f"same {key} as "),
        F.col(SUPERSEDED_BY),
        F.lit(", which arrived later (the latest arrival wins)"),
    )


def _location(winner: Column) -> Column:
    return F.concat_ws(":", winner[SOURCE_FILE], winner[SOURCE_LINE].cast("string"))


def _computed(df: DataFrame) -> DataFrame:
    """`df` computed now and kept (one row per contested key: usually few)."""
    return df.localCheckpoint(eager=True)


def _broadcast_if(few: bool, df: DataFrame) -> DataFrame:
    return F.broadcast(df) if few else df
