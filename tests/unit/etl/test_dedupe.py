"""The dedupe rule: among valid rows with the same business key, the one landed last wins."""

import datetime as dt

import pytest
from pyspark.sql import Row
from spark_fixtures import assertDataFrameEqual

from etl.transforms import dedupe

AS_OF = dt.date(2026, 1, 1)


def test_latest_landed_row_wins_and_the_earlier_is_marked_duplicate(raw_frame, verdicts):
    raw = raw_frame("customers", {"segment": "consumer"}, {"segment": "corporate"})
    actual = verdicts(raw, "customers", {}, AS_OF)
    expected = [
        Row(_source_line=2, rule="duplicate", reason=_superseded_by("customer_id", 3)),
        Row(_source_line=3, rule=None, reason=None),
    ]
    assertDataFrameEqual(actual, expected)


def test_a_rejected_row_never_supersedes_a_valid_one(raw_frame, verdicts):
    actual = verdicts(raw_frame("customers", {}, {"segment": "royalty"}), "customers", {}, AS_OF)
    expected = [
        Row(_source_line=2, rule=None),
        Row(_source_line=3, rule="allowed_values"),
    ]
    assertDataFrameEqual(actual.select("_source_line", "rule"), expected)


@pytest.mark.parametrize("broadcast_max_winners", [dedupe.BROADCAST_MAX_WINNERS, 0])
def test_composite_business_keys_dedupe_on_all_their_columns(
    raw_frame, spark, verdicts, monkeypatch, broadcast_max_winners
):
    monkeypatch.setattr(dedupe, "BROADCAST_MAX_WINNERS", broadcast_max_winners)  # 0: joined by shuffle
    raw = raw_frame("order_items", {"line_number": "1"}, {"line_number": "2"}, {"line_number": "1"})
    keys = {"orders": spark.createDataFrame([(100,)], "order_id bigint")}
    keys["products"] = spark.createDataFrame([(7,)], "product_id bigint")
    actual = verdicts(raw, "order_items", keys, AS_OF)
    expected = [
        Row(_source_line=2, rule="duplicate", reason=_superseded_by("order_id, line_number", 4)),
        Row(_source_line=3, rule=None, reason=None),
        Row(_source_line=4, rule=None, reason=None),
    ]
    assertDataFrameEqual(actual, expected)


def _superseded_by(key, line):
    return f"same {key} as batch.csv:{line}, which landed later (latest ingest wins)"
