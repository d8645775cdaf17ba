"""Reading raw files (local folder here; s3:// in the jobs): explicit schema, source file and line,
columns matched by CSV header, malformed and non-UTF-8 lines kept for quarantine."""

import pytest
from pyspark.sql import Row
from spark_fixtures import assertDataFrameEqual

from ecomdwh.contracts import PRODUCTS, WEB_EVENTS
from etl.storage.raw import RawLayoutError, read_raw

HEADER = ",".join(PRODUCTS.column_names)
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


def test_json_lines_that_are_cut_or_not_utf8_become_utf8_corrupt_records(spark, tmp_path):
    batch = tmp_path / "web_events"
    _write(
        batch,
        "web_events-00000.json",
        [
            b'{"event_id":"e1","customer_id":7}',
            b'{"event_id":"e2","page_url":"/caf\xe9"}',
            b'{"event_id":"e3",',
        ],
    )

    rows = read_raw(spark, WEB_EVENTS, f"file://{batch}/")

    expected = [
        Row(event_id="e1", customer_id="7", _corrupt_record=None, _source_line=1),
        Row(
            event_id=None,
            customer_id=None,
            _corrupt_record='{"event_id":"e2","page_url":"/caf\ufffd"}',
            _source_line=2,
        ),
        Row(event_id=None, customer_id=None, _corrupt_record='{"event_id":"e3",', _source_line=3),
    ]
    assertDataFrameEqual(rows.select("event_id", "customer_id", "_corrupt_record", "_source_line"), expected)


def test_lines_are_numbered_per_file_when_files_are_small_enough_to_share_a_task(spark, tmp_path):
    batch = tmp_path / "web_events"
    for file in range(3):
        _write(batch, f"web_events-0000{file}.json", [b'{"event_id":"e%d%d"}' % (file, n) for n in range(2)])

    rows = read_raw(spark, WEB_EVENTS, f"file://{batch}/")

    expected = [Row(event_id=f"e{file}{n}", _source_line=n + 1) for file in range(3) for n in range(2)]
    assertDataFrameEqual(rows.select("event_id", "_source_line"), expected)
