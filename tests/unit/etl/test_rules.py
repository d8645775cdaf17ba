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
NOT_EMAIL = "is not an email address (ASCII letters, digits and dot-atom punctuation only)"
VARCHAR_100 = "100 (VARCHAR(100), UTF-8 bytes)"

# entity -> [(override of the valid row, expected rule, expected reason)]; the valid row comes first.
CASES = {
    "customers": [
        (
            {"_corrupt_record": "1,Ada"},
            "malformed_row",
            "row does not parse into the 13 contract columns: 1,Ada",
        ),
        ({"email": "ada-at-gmail.com"}, "format", f"email 'ada-at-gmail.com' {NOT_EMAIL}"),
        # homoglyph (Cyrillic a), zero-width space, right-to-left override, Kelvin sign (lower-cases to k),
        # a control character, a final line break: none is ASCII dot-atom text
        ({"email": "\u0430da@gmail.com"}, "format", f"email '\u0430da@gmail.com' {NOT_EMAIL}"),
        ({"email": "ada\u200b@gmail.com"}, "format", f"email 'ada\u200b@gmail.com' {NOT_EMAIL}"),
        ({"email": "ada@gmail.\u202emoc"}, "format", f"email 'ada@gmail.\u202emoc' {NOT_EMAIL}"),
        ({"email": "\u212aate@gmail.com"}, "format", f"email 'kate@gmail.com' {NOT_EMAIL}"),
        ({"email": "ada\x07@gmail.com"}, "format", f"email 'ada\x07@gmail.com' {NOT_EMAIL}"),
        ({"email": "ada@gmail.com\n"}, "format", f"email 'ada@gmail.com\n' {NOT_EMAIL}"),
        ({"email": "ada..l@gmail.com"}, "format", f"email 'ada..l@gmail.com' {NOT_EMAIL}"),
        ({"email": "ada@-gmail.com"}, "format", f"email 'ada@-gmail.com' {NOT_EMAIL}"),
        ({"email": "O'Brien+shop@Mail.Example.co.uk"}, None, None),  # dot-atom punctuation, any ASCII case
        (
            {"first_name": "é" * 51},
            "length",
            f"first_name '{'é' * 40}...' is 102 bytes, longer than its {VARCHAR_100}",
        ),
        ({"first_name": "a" * 100}, None, None),
        ({"country": "Narnia"}, "format", "country 'NARNIA' is not a two-letter country code"),
        (
            {"segment": "royalty"},
            "allowed_values",
            "segment 'royalty' is not one of consumer, small_business, corporate",
        ),
        ({"signup_date": "2025-02-30"}, "type", "signup_date '2025-02-30' is not a valid date (YYYY-MM-DD)"),
        (
            {"signup_date": "1999-12-31"},
            "date_sanity",
            "signup_date '1999-12-31' is outside 2000-01-01..2026-01-01",
        ),
    ],
    "products": [
        ({"price": "-1.00"}, "range", "price '-1.00' is not at least 0"),
        (
            {"is_active": "maybe"},
            "type",
            "is_active 'maybe' is not a valid boolean (one of true, t, yes, y, 1 or false, f, no, n, 0)",
        ),
        (
            {"price": "1.005"},
            "type",
            "price '1.005' is not a valid decimal(12,2) (a plain number, at most 10 digits before the point and 2 after)",
        ),  # would round
        ({"price": "10.5000"}, None, None),  # trailing zeros do not
        (
            {"price": "10000000000.00"},
            "type",
            "price '10000000000.00' is not a valid decimal(12,2) (a plain number, at most 10 digits before the point and 2 after)",
        ),
        (
            {"updated_at": "2025"},
            "type",
            "updated_at '2025' is not a valid timestamp (YYYY-MM-DD HH:MM:SS, optionally T for the space and up to 6 fractional digits, no zone)",
        ),
        ({"updated_at": "2025-12-30T10:00:00.123456"}, None, None),
        (
            {"updated_at": "2025-12-30 10:00:00+02:00"},
            "type",
            "updated_at '2025-12-30 10:00:00+02:00' is not a valid timestamp (YYYY-MM-DD HH:MM:SS, optionally T for the space and up to 6 fractional digits, no zone)",
        ),
        ({"sku": ""}, "required", "sku is empty"),
    ],
    "orders": [
        ({"status": "  "}, "required", "status is empty"),
        (
            {"order_id": "12x"},
            "type",
            "order_id '12x' is not a valid int (a whole number from -9223372036854775808 to 9223372036854775807)",
        ),
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
        ({"quantity": "0"}, "range", "quantity '0' is outside 1..2147483647"),
        ({"quantity": "2147483648"}, "range", "quantity '2147483648' is outside 1..2147483647"),
        (
            {"quantity": "9223372036854775808"},
            "type",
            "quantity '9223372036854775808' is not a valid int (a whole number from -9223372036854775808 to 9223372036854775807)",
        ),
        ({"line_number": "0"}, "range", "line_number '0' is outside 1..2147483647"),
        ({"discount_amount": "-0.01"}, "range", "discount_amount '-0.01' is not at least 0"),
        (
            {"quantity": "2000000000", "unit_price": "9999999999.99"},
            "range",
            "quantity * unit_price = 19999999999980000000.00 does not fit fct_order_items.gross_amount, "
            "a decimal(14,2) (at most 999999999999.99)",
        ),
        ({"quantity": "100", "unit_price": "9999999999.99"}, None, None),  # 999,999,999,999.00 fits
        (
            {"product_id": "8"},
            "referential",
            "product_id 8 is not a product_id of any processed products row",
        ),
        ({"order_id": "101"}, "referential", "order_id 101 is not a order_id of any processed orders row"),
    ],
    "web_events": [
        ({"customer_id": None}, None, None),  # optional columns may be empty ...
        (
            {"customer_id": "x"},
            "type",
            "customer_id 'x' is not a valid int (a whole number from -9223372036854775808 to 9223372036854775807)",
        ),  # ... but not wrong
        ({"device": "fridge"}, "allowed_values", "device 'fridge' is not one of desktop, mobile, tablet"),
        (
            {"page_url": "/" + "p" * 1024},
            "length",
            f"page_url '/{'p' * 39}...' is 1025 bytes, longer than its 1024 (VARCHAR(1024), UTF-8 bytes)",
        ),
    ],
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
