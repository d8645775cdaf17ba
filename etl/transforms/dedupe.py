"""Deduplication by business key. Stated rule: among valid rows sharing a business key, the latest
ingested wins — the row landed last (greatest source file name, then greatest line). The others are
marked `duplicate` (never dropped silently) with the winner's file and line as the reason."""

from __future__ import annotations

from collections.abc import Sequence

from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F

from etl.schemas import SOURCE_FILE, SOURCE_LINE
from etl.transforms.cast import typed_col
from etl.transforms.validate import REASON, RULE

DUPLICATE = "duplicate"


def with_duplicates_marked(df: DataFrame, business_key: Sequence[str]) -> DataFrame:
    """Sets `rule`=duplicate on valid rows superseded by a later valid row with the same business key.
    Rows already rejected by a rule neither win nor lose."""
    latest_first = Window.partitionBy(*[F.col(typed_col(k)) for k in business_key]).orderBy(
        F.col(RULE).isNull().desc(), F.col(SOURCE_FILE).desc(), F.col(SOURCE_LINE).desc()
    )
    superseded = F.col(RULE).isNull() & (F.row_number().over(latest_first) > 1)
    winner = F.concat_ws(
        ":", F.first(SOURCE_FILE).over(latest_first), F.first(SOURCE_LINE).over(latest_first).cast("string")
    )
    key = ", ".join(business_key)
    reason = F.concat(F.lit(f"same {key} as "), winner, F.lit(", which landed later (latest ingest wins)"))
    return df.withColumns(
        {
            REASON: F.when(superseded, reason).otherwise(F.col(REASON)),
            RULE: F.when(superseded, F.lit(DUPLICATE)).otherwise(F.col(RULE)),
        }
    )
