"""The dedupe rule: among valid rows with the same business key, the one landed last wins."""

import datetime as dt

from pyspark.sql import Row
from spark_fixtures import assertDataFrameEqual

from ecomdwh.contracts import ENTITIES
from etl.clean import check_batch

AS_OF = dt.date(2026, 1, 1)


def _check(raw_frame, entity, *overrides):
    raw = raw_frame(entity, *overrides)
    checked = check_batch(raw, ENTITIES[entity], as_of=AS_OF, known_keys={})
    return checked.select("_source_line", "rule", "reason")


def test_latest_landed_row_wins_and_the_earlier_is_marked_duplicate(raw_frame):
    actual = _check(raw_frame, "customers", {"segment": "consumer"}, {"segment": "corporate"})
    expected = [
        Row(_source_line=2, rule="duplicate", reason=_superseded_by("customer_id", 3)),
        Row(_source_line=3, rule=None, reason=None),
    ]
    assertDataFrameEqual(actual, expected)


def test_a_rejected_row_never_supersedes_a_valid_one(raw_frame):
    actual = _check(raw_frame, "customers", {}, {"segment": "royalty"})
    expected = [
        Row(_source_line=2, rule=None),
        Row(_source_line=3, rule="allowed_values"),
    ]
    assertDataFrameEqual(actual.select("_source_line", "rule"), expected)


def test_composite_business_keys_dedupe_on_all_their_columns(raw_frame, spark):
    raw = raw_frame("order_items", {"line_number": "1"}, {"line_number": "2"}, {"line_number": "1"})
    keys = {"orders": spark.createDataFrame([(100,)], "order_id bigint")}
    keys["products"] = spark.createDataFrame([(7,)], "product_id bigint")
    checked = check_batch(raw, ENTITIES["order_items"], as_of=AS_OF, known_keys=keys)
    expected = [
        Row(_source_line=2, rule="duplicate", reason=_superseded_by("order_id, line_number", 4)),
        Row(_source_line=3, rule=None, reason=None),
        Row(_source_line=4, rule=None, reason=None),
    ]
    assertDataFrameEqual(checked.select("_source_line", "rule", "reason"), expected)


def _superseded_by(key, line):
    return f"same {key} as batch.csv:{line}, which landed later (latest ingest wins)"
