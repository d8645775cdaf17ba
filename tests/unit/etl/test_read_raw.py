"""Reading raw files (local folder here; s3:// in the jobs): explicit schema, source file and line,
columns matched by CSV header, one row per physical line (malformed ones kept whole for quarantine),
RFC 4180 quoting, undecodable bytes as U+FFFD."""

import json
from unittest.mock import ANY

import pytest
from pyspark.sql import Row
from pyspark.sql import functions as F
from spark_fixtures import assertDataFrameEqual

from ecomdwh.contracts import CUSTOMERS, ENTITIES, ORDERS, PRODUCTS, WEB_EVENTS
from etl.storage.raw import RawLayoutError, read_raw
from lambdas.raw_validation.rules import validate

HEADER = ",".join(PRODUCTS.column_names)


def _event(event_id: str, **values: object) -> bytes:
    """A web event line holding every contract key (null unless given)."""
    return json.dumps(
        {name: None for name in WEB_EVENTS.column_names} | {"event_id": event_id} | values, ensure_ascii=False
    ).encode()


ROW = '{id},"SKU-{id}","Headphones","Electronics","Audio","Acme",99.90,40.00,true,2025-12-30 10:00:00'


def _write(folder, name, lines):
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(b"".join(line + b"\n" for line in lines))


def test_rows_carry_file_and_line_and_extra_columns_are_dropped_by_header(spark, tmp_path):
    batch = tmp_path / "products"
    _write(batch, "products-00000.csv", [HEADER.encode(), ROW.format(id=1).encode(), b"2,SKU-2"])
    _write(
        batch,
        "products-00001.csv",
        [f"{HEADER},promo_code".encode(), f"{ROW.format(id=3)},WELCOME10".encode()],
    )

    rows = read_raw(spark, PRODUCTS, f"file://{batch}/")

    actual = rows.selectExpr(
        "product_id",
        "cost",
        "_corrupt_record",
        "regexp_extract(_source_file, '[^/]+$', 0) as file",
        "_source_line",
    )
    expected = [
        Row(product_id="1", cost="40.00", _corrupt_record=None, file="products-00000.csv", _source_line=2),
        Row(product_id="2", cost=None, _corrupt_record="2,SKU-2", file="products-00000.csv", _source_line=3),
        Row(product_id="3", cost="40.00", _corrupt_record=None, file="products-00001.csv", _source_line=2),
    ]
    assertDataFrameEqual(actual, expected)


def test_a_header_missing_contract_columns_names_the_file(spark, tmp_path):
    batch = tmp_path / "products"
    _write(batch, "products-00000.csv", [b"product_id,sku", b"1,SKU-1"])
    with pytest.raises(
        RawLayoutError, match=r"products-00000.csv: CSV header lacks the products columns product_name"
    ):
        read_raw(spark, PRODUCTS, f"file://{batch}/")


def test_json_lines_that_are_cut_become_corrupt_records_and_non_utf8_bytes_replacement_characters(
    spark, tmp_path
):
    batch = tmp_path / "web_events"
    _write(
        batch,
        "web_events-00000.json",
        [
            _event("e1", customer_id=7),
            _event("e2", page_url="/café").replace("é".encode(), b"\xe9"),
            b'{"event_id":"e3",',
        ],
    )

    rows = read_raw(spark, WEB_EVENTS, f"file://{batch}/")

    expected = [
        Row(event_id="e1", page_url=None, _corrupt_record=None, _source_line=1),
        Row(event_id="e2", page_url="/caf\ufffd", _corrupt_record=None, _source_line=2),
        Row(event_id=None, page_url=None, _corrupt_record='{"event_id":"e3",', _source_line=3),
    ]
    assertDataFrameEqual(rows.select("event_id", "page_url", "_corrupt_record", "_source_line"), expected)


def test_a_json_line_holding_anything_but_one_object_is_one_malformed_row(spark, tmp_path):
    """One physical line, one row: a second object or text after the first is not dropped, and an array of
    objects is not two rows; each such line is one corrupt record holding the whole line. Blank lines hold
    no record but count in the line numbers."""
    batch = tmp_path / "web_events"
    not_one_object = [
        b'{"event_id":"e2"}{"event_id":"e3"}',
        b'{"event_id":"e4"} {"event_id":"e5"}',
        b'{"event_id":"e6"} trailing text',
        b'{"event_id":"e7"}}',
        b'[{"event_id":"e8"},{"event_id":"e9"}]',
        b'{"event_id":"e10"},{"_ecomdwh_line_sha256":"0"}]',
        b"null",
        b"42",
    ]
    _write(
        batch,
        "web_events-00000.json",
        [_event("e1"), *not_one_object, b"", b"  ", _event("e11")],
    )

    rows = read_raw(spark, WEB_EVENTS, f"file://{batch}/")

    expected = [
        Row(event_id="e1", _corrupt_record=None, _source_line=1),
        *[
            Row(event_id=None, _corrupt_record=line.decode(), _source_line=n)
            for n, line in enumerate(not_one_object, 2)
        ],
        Row(event_id="e11", _corrupt_record=None, _source_line=12),
    ]
    assertDataFrameEqual(rows.select("event_id", "_corrupt_record", "_source_line"), expected)


def test_csv_follows_rfc_4180_and_a_quoted_line_break_quarantines_each_of_its_lines(spark, tmp_path):
    """Doubled quotes inside quotes are one quote, a quoted comma is data. A record cut by a line break
    inside quotes is not stitched together: each of its lines is one malformed row with its own number (its
    quotes do not pair up), as is a line with a quote outside a quoted field. Nothing else is affected."""
    batch = tmp_path / "customers"
    header = ",".join(CUSTOMERS.column_names).encode()
    row = "{id},Ada,Lovelace,ada{id}@example.com,,{address},Springfield,IL,62701,US,2024-05-01,consumer,2025-12-30 10:00:00"
    cut_by_a_line_break = row.format(id=3, address='"1 Main St\nFlat 3"').encode().split(b"\n")
    lines = [
        header,
        row.format(id=1, address='"12 ""The Oaks"""').encode(),
        row.format(id=2, address='"Flat 3, 1 Main St"').encode(),
        *cut_by_a_line_break,
        b"",
        row.format(id=5, address='12 "The Oaks').encode(),
        row.format(id=6, address="1 Main St").encode(),
    ]
    _write(batch, "customers-00000.csv", lines)

    rows = read_raw(spark, CUSTOMERS, f"file://{batch}/")

    actual = rows.select(
        "customer_id", "address", (F.col("_corrupt_record").isNotNull()).alias("malformed"), "_source_line"
    )
    expected = [
        Row(customer_id="1", address='12 "The Oaks"', malformed=False, _source_line=2),
        Row(customer_id="2", address="Flat 3, 1 Main St", malformed=False, _source_line=3),
        *[Row(customer_id=ANY, address=ANY, malformed=True, _source_line=n) for n in (4, 5, 7)],
        Row(customer_id="6", address="1 Main St", malformed=False, _source_line=8),
    ]
    assert [r.asDict() for r in actual.orderBy("_source_line").collect()] == [r.asDict() for r in expected]


def test_lines_are_numbered_per_file_when_files_are_small_enough_to_share_a_task(spark, tmp_path):
    batch = tmp_path / "web_events"
    for file in range(3):
        _write(batch, f"web_events-0000{file}.json", [_event(f"e{file}{n}") for n in range(2)])

    rows = read_raw(spark, WEB_EVENTS, f"file://{batch}/")

    expected = [Row(event_id=f"e{file}{n}", _source_line=n + 1) for file in range(3) for n in range(2)]
    assertDataFrameEqual(rows.select("event_id", "_source_line"), expected)


ORDERS_HEADER = ORDERS.column_names
ORDER_ROW = (
    "1,7,2026-01-01 10:00:00,paid,web,card,1 Main St,Springfield,IL,62701,US,0.00,4.99,2026-01-01 10:00:00"
)


def _orders(header: list[str], *rows: str) -> bytes:
    return "".join(f"{line}\n" for line in (",".join(header), *rows)).encode()


SAME_VERDICT = {
    "contract": ("orders", _orders(ORDERS_HEADER, ORDER_ROW)),
    "byte order mark": ("orders", b"\xef\xbb\xbf" + _orders(ORDERS_HEADER, ORDER_ROW)),
    "columns reordered": ("orders", _orders([*ORDERS_HEADER[1:], ORDERS_HEADER[0]], ORDER_ROW[2:] + ",1")),
    "extra column": ("orders", _orders([*ORDERS_HEADER, "promo_code"], ORDER_ROW + ",X")),
    "empty": ("orders", b""),
    "header only": ("orders", _orders(ORDERS_HEADER)),
    "column named twice": ("orders", _orders([*ORDERS_HEADER, "status"], ORDER_ROW + ",paid")),
    "column missing": ("orders", _orders(ORDERS_HEADER[:-1], ORDER_ROW.rsplit(",", 1)[0])),
    "semicolons": ("orders", _orders(ORDERS_HEADER, ORDER_ROW).replace(b",", b";")),
    "another entity": ("orders", _orders(CUSTOMERS.column_names)),
    "empty ndjson": ("web_events", b""),
    "blank ndjson": ("web_events", b"\n\n"),
    "ndjson after a blank line": ("web_events", b"\n" + _event("e1") + b"\n"),
    "ndjson lacking a key": ("web_events", json.dumps({"event_id": "e1"}).encode() + b"\n"),
    "csv in place of ndjson": ("web_events", b"event_id,session_id\ne1,s1\n"),
}


@pytest.mark.parametrize("case", SAME_VERDICT)
def test_the_lambda_and_the_etl_give_a_file_the_same_verdict_for_the_same_reason(spark, tmp_path, case):
    """ecomdwh/raw_format.py is the one rule set: a file the Lambda lets land, the ETL reads; a file the
    Lambda refuses, the ETL refuses too, with the same reason, naming the file."""
    entity, body = SAME_VERDICT[case]
    name = f"{entity}-00000.{ENTITIES[entity].format}"
    lambda_verdict = validate(f"{entity}/ingest_date=2026-01-01/{name}", len(body), body, max_bytes=1 << 20)
    (tmp_path / entity).mkdir()
    (tmp_path / entity / name).write_bytes(body)
    try:
        read_raw(spark, ENTITIES[entity], f"file://{tmp_path / entity}/").count()
    except RawLayoutError as refused:
        assert not lambda_verdict.accepted, f"the ETL refuses what the Lambda accepts: {refused}"
        assert f"{name}: {lambda_verdict.reason}" in str(refused)
    else:
        assert lambda_verdict.accepted, f"the ETL reads what the Lambda refuses: {lambda_verdict.reason}"
