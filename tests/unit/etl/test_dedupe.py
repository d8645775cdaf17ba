"""The dedupe rule: among valid rows with the same business key, the one that arrived last wins: its file
landed last (S3 LastModified, then key), then the later line."""

import datetime as dt

import pytest
from pyspark.sql import Row
from spark_fixtures import assertDataFrameEqual

from etl.transforms import dedupe

AS_OF = dt.date(2026, 1, 1)
LANDED_AT = dt.datetime(2026, 1, 1, 3, 0)


def test_latest_landed_row_wins_and_the_earlier_is_marked_duplicate(raw_frame, verdicts):
    raw = raw_frame("customers", {"segment": "consumer"}, {"segment": "corporate"})
    actual = verdicts(raw, "customers", {}, AS_OF)
    expected = [
        Row(_source_line=2, rule="duplicate", reason=_superseded_by("customer_id", 3)),
        Row(_source_line=3, rule=None, reason=None),
    ]
    assertDataFrameEqual(actual, expected)


def test_the_file_that_landed_last_wins_whatever_its_name(raw_frame, verdicts):
    """customers-b.csv landed first, customers-a.csv 4 s later: a's row wins although its name sorts first."""
    raw = raw_frame(
        "customers",
        {"segment": "consumer", "_source_file": "customers-b.csv", "_source_landed_at": LANDED_AT},
        {"segment": "corporate", "_source_file": "customers-a.csv", "_source_landed_at": LANDED_AT + dt.timedelta(seconds=4)},
    )  # fmt: skip
    actual = verdicts(raw, "customers", {}, AS_OF)
    expected = [
        Row(_source_line=2, rule="duplicate", reason=_superseded_by("customer_id", 3, "customers-a.csv")),
        Row(_source_line=3, rule=None, reason=None),
    ]
    assertDataFrameEqual(actual, expected)


def test_files_landed_at_the_same_instant_arrive_in_key_order(raw_frame, verdicts):
    raw = raw_frame(
        "customers",
        {"segment": "corporate", "_source_file": "customers-b.csv", "_source_landed_at": LANDED_AT},
        {"segment": "consumer", "_source_file": "customers-a.csv", "_source_landed_at": LANDED_AT},
    )
    actual = verdicts(raw, "customers", {}, AS_OF)
    expected = [
        Row(_source_line=2, rule=None, reason=None),
        Row(_source_line=3, rule="duplicate", reason=_superseded_by("customer_id", 2, "customers-b.csv")),
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


def _superseded_by(key, line, file="batch.csv"):
    return f"same {key} as {file}:{line}, which arrived later (the latest arrival wins)"
