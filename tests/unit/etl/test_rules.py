"""Each validation rule through check_batch and the rejected rows' reasons: per entity, one batch
holding a valid row and valid rows changed in one field, each rejected with the rule's name and a
reason naming the column and value. (One batch per entity rather than one per case: every Spark job
costs a few hundred ms.)"""

import datetime as dt

import pytest
from pyspark.sql import Row
from spark_fixtures import assertDataFrameEqual

from ecomdwh.contracts import ENTITIES
from etl.options import ENTITY_ORDER
from etl.rules import dependency_levels
from etl.transforms import validate

AS_OF = dt.date(2026, 1, 1)
STATUSES = "placed, paid, shipped, delivered, cancelled, returned"

# entity -> [(override of the valid row, expected rule, expected reason)]; the valid row comes first.
CASES = {
    "customers": [
        (
            {"_corrupt_record": "1,Ada"},
            "malformed_row",
            "row does not parse into the 13 contract columns: 1,Ada",
        ),
        ({"email": "ada-at-gmail.com"}, "format", "email 'ada-at-gmail.com' is not an email address"),
        ({"country": "Narnia"}, "format", "country 'NARNIA' is not a two-letter country code"),
        (
            {"segment": "royalty"},
            "allowed_values",
            "segment 'royalty' is not one of consumer, small_business, corporate",
        ),
        ({"signup_date": "2025-02-30"}, "type", "signup_date '2025-02-30' is not a valid date"),
        (
            {"signup_date": "1999-12-31"},
            "date_sanity",
            "signup_date '1999-12-31' is outside 2000-01-01..2026-01-01",
        ),
    ],
    "products": [
        ({"price": "-1.00"}, "range", "price '-1.00' is not at least 0"),
        ({"is_active": "maybe"}, "type", "is_active 'maybe' is not a valid boolean"),
        ({"sku": ""}, "required", "sku is empty"),
    ],
    "orders": [
        ({"status": "  "}, "required", "status is empty"),
        ({"order_id": "12x"}, "type", "order_id '12x' is not a valid int"),
        ({"status": "lost"}, "allowed_values", f"status 'lost' is not one of {STATUSES}"),
        ({"shipping_amount": "-4.99"}, "range", "shipping_amount '-4.99' is not at least 0"),
        (
            {"order_ts": "2026-01-02 00:00:01"},
            "date_sanity",
            "order_ts '2026-01-02 00:00:01' is outside 2000-01-01..2026-01-01",
        ),
        (
            {"customer_id": "999"},
            "referential",
            "customer_id 999 is not a customer_id of any processed customers row",
        ),
        # the first failing rule wins
        (
            {"status": "lost", "customer_id": "999"},
            "allowed_values",
            f"status 'lost' is not one of {STATUSES}",
        ),
    ],
    "order_items": [
        ({"quantity": "0"}, "range", "quantity '0' is not greater than 0"),
        (
            {"product_id": "8"},
            "referential",
            "product_id 8 is not a product_id of any processed products row",
        ),
        ({"order_id": "101"}, "referential", "order_id 101 is not a order_id of any processed orders row"),
    ],
    "web_events": [
        ({"customer_id": None}, None, None),  # optional columns may be empty ...
        ({"customer_id": "x"}, "type", "customer_id 'x' is not a valid int"),  # ... but not wrong
        ({"device": "fridge"}, "allowed_values", "device 'fridge' is not one of desktop, mobile, tablet"),
    ],
}


@pytest.fixture
def known_keys(spark):
    def keys(name, value):
        return spark.createDataFrame([(value,)], f"{name} bigint")

    return {
        "customers": keys("customer_id", 1),
        "products": keys("product_id", 7),
        "orders": keys("order_id", 100),
    }


@pytest.mark.parametrize("entity", sorted(CASES))
def test_each_rule_rejects_with_its_name_and_reason(raw_frame, known_keys, verdicts, entity):
    # distinct event/order ids so that no two cases are duplicates of each other
    key = ENTITIES[entity].business_key[-1]
    overrides = [{}, *[{key: str(900 + n), **change} for n, (change, _, _) in enumerate(CASES[entity])]]
    raw = raw_frame(entity, *overrides)
    expected = [Row(_source_line=2, rule=None, reason=None)] + [
        Row(_source_line=line, rule=rule, reason=reason)
        for line, (_, rule, reason) in enumerate(CASES[entity], start=3)
    ]
    assertDataFrameEqual(verdicts(raw, entity, known_keys, AS_OF), expected)


def test_entities_run_in_levels_after_the_entities_they_reference():
    assert dependency_levels(ENTITY_ORDER) == [
        ("customers", "products"),
        ("orders",),
        ("order_items", "web_events"),
    ]
    assert dependency_levels(("order_items", "web_events")) == [("order_items", "web_events")]


@pytest.mark.parametrize(("max_keys", "join"), [(1, "BroadcastHashJoin"), (0, "SortMergeJoin")])
def test_reference_keys_are_broadcast_only_up_to_the_limit(spark, monkeypatch, max_keys, join):
    monkeypatch.setattr(validate, "BROADCAST_MAX_KEYS", max_keys)
    spark.conf.set("spark.sql.autoBroadcastJoinThreshold", "-1")  # Spark would broadcast a tiny set itself
    try:
        rows = spark.createDataFrame([(1,), (2,), (None,)], "customer_id__typed bigint")
        keys = spark.createDataFrame([(1,)], "customer_id bigint")
        reference = validate.Reference("customer_id", "customers", "customer_id")
        flagged = validate.with_reference_flags(rows, [reference], {"customers": keys})
        assert join in flagged._jdf.queryExecution().executedPlan().toString()
        assertDataFrameEqual(
            flagged,
            [Row(customer_id__typed=1, customer_id__found_in_customers=True)]
            + [Row(customer_id__typed=key, customer_id__found_in_customers=None) for key in (2, None)],
        )
    finally:
        spark.conf.unset("spark.sql.autoBroadcastJoinThreshold")
