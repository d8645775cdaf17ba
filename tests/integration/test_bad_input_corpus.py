"""Bad raw input beyond datagen's dirty rows, through the real ETL (etl.pipeline on local PySpark against
the emulator's S3). Every case ends one of two ways:

- processed: each bad row is quarantined with a rule and a reason, and the batch audit balances
  (received = accepted + quarantined + deduplicated), so no row is lost; or
- refused: the batch raises RawLayoutError naming the file's s3:// URI and the fix, and nothing of the
  batch is committed (no processed rows, no audit).

A whole file that cannot be read as the contract (wrong delimiter, wrong columns, wrong place, broken
compression) is refused rather than quarantined row by row: every row of it would fail the same way, the
quarantine would hold a file's worth of noise, and the fix is to re-land the file, which the error names.
"""

from __future__ import annotations

import dataclasses
import gzip
import io
import time

import boto3
import pyarrow.parquet as pq
import pytest

from ecomdwh.contracts import ORDERS, PRODUCTS
from ecomdwh.manifests import manifest_key
from etl.options import JobOptions
from etl.pipeline import OutOfOrderBatch, process_batch, run
from etl.spark import point_s3a_at_endpoint
from etl.storage import s3
from etl.storage.layout import batch_prefix, quarantine_prefix
from etl.storage.raw import MAX_FIELD_CHARS, RawLayoutError, landed_ingest_dates
from etl.storage.state import read_audit

HEADER = ",".join(PRODUCTS.column_names)
ROW = '{id},"SKU-{id}","Headphones","Electronics","Audio","Acme",99.90,40.00,true,2025-12-30 10:00:00'
RAW, PROCESSED = "it-badinput-raw", "it-badinput-processed"


def _csv(*lines: str) -> bytes:
    return "".join(f"{line}\n" for line in lines).encode()


GOOD = _csv(HEADER, ROW.format(id=1), ROW.format(id=2))


@pytest.fixture(scope="module")
def spark_s3(spark, aws_module_env):
    """The shared SparkSession pointed at this module's emulator, and the module's two buckets."""
    point_s3a_at_endpoint(spark)
    for name in (RAW, PROCESSED):
        boto3.client("s3").create_bucket(Bucket=name)
    return spark


def _land(ingest_date: str, files: dict[str, bytes], entity: str = "products", bucket: str = RAW) -> None:
    for name, body in files.items():
        s3.client().put_object(Bucket=bucket, Key=f"{batch_prefix(entity, ingest_date)}{name}", Body=body)


def _options(raw_bucket: str = RAW) -> JobOptions:
    # Ratio 1.0: these tests look at what is quarantined, not at the threshold (tested elsewhere).
    return JobOptions("it-badinput", raw_bucket, PROCESSED, None, ("products",), 1.0)


def _process(spark, ingest_date: str, files: dict[str, bytes]):
    _land(ingest_date, files)
    audit = process_batch(spark, _options(), "products", ingest_date)
    assert audit.balanced(), audit
    assert read_audit(PROCESSED, "products", ingest_date) == audit
    return audit


def _rows(prefix: str, columns: list[str]) -> list[dict]:
    """Rows of the Parquet parts under the processed bucket's prefix (read with pyarrow: no Spark job)."""
    rows = []
    for key in s3.list_keys(PROCESSED, prefix):
        if key.endswith(".parquet"):
            body = s3.client().get_object(Bucket=PROCESSED, Key=key)["Body"].read()
            rows += pq.read_table(io.BytesIO(body), columns=columns).to_pylist()
    return rows


def _refused(spark, ingest_date: str, files: dict[str, bytes], *patterns: str) -> str:
    """Lands the files, expects the batch refused with a message matching every pattern; returns it."""
    _land(ingest_date, files)
    with pytest.raises(RawLayoutError) as refused:
        process_batch(spark, _options(), "products", ingest_date)
    message = str(refused.value)
    for expected in patterns:
        assert expected in message, message
    assert read_audit(PROCESSED, "products", ingest_date) is None
    assert not list(s3.list_keys(PROCESSED, batch_prefix("products", ingest_date)))
    return message


def _uri(ingest_date: str, name: str, entity: str = "products") -> str:
    return s3.uri(RAW, f"{batch_prefix(entity, ingest_date)}{name}")


def test_empty_header_only_and_gzip_files_are_read_beside_a_plain_one(spark_s3):
    """A 0-byte file and a file with only the header hold no rows: they are read as zero rows (the empty
    one is logged). An intact .csv.gz has its header checked through its codec and its rows read."""
    files = {
        "products-00000.csv": b"",
        "products-00001.csv": _csv(HEADER),
        "products-00002.csv": GOOD,
        "products-00003.csv.gz": gzip.compress(_csv(HEADER, ROW.format(id=3), ROW.format(id=4))),
    }
    audit = _process(spark_s3, "2026-01-01", files)
    assert (audit.received, audit.accepted, audit.quarantined, audit.deduplicated) == (4, 4, 0, 0)
    assert sorted(r["product_id"] for r in _rows(batch_prefix("products", "2026-01-01"), ["product_id"])) == [
        1,
        2,
        3,
        4,
    ]


def test_a_batch_of_only_empty_files_commits_an_empty_batch(spark_s3):
    """Nothing received is a valid (empty) batch, audited as such, not an error."""
    audit = _process(spark_s3, "2026-01-02", {"products-00000.csv": b"", "products-00001.csv": _csv(HEADER)})
    assert (audit.received, audit.accepted, audit.quarantined) == (0, 0, 0)


def test_a_truncated_gzip_file_is_refused_naming_the_file(spark_s3):
    """A gzip stream cut short would yield the rows before the cut and silently lose the rest, and the
    number lost is unknowable: the batch is refused, naming the file, before any row is read."""
    whole = gzip.compress(_csv(HEADER, *(ROW.format(id=i) for i in range(1, 2000))))
    _refused(
        spark_s3,
        "2026-01-03",
        {"products-00000.csv.gz": whole[: len(whole) // 2]},
        _uri("2026-01-03", "products-00000.csv.gz"),
        "truncated or corrupt",
        "land it again",
    )


def test_a_100_mb_line_without_newline_is_refused_naming_the_file(spark_s3):
    """A header, one good row, then 100 MB with no line break (a dump that lost its newlines, a binary
    file). No contract column can hold a value that long (Redshift's VARCHAR stops at 65535 bytes), so it
    is not a row to quarantine but a broken file: quarantining it would copy 100 MB per column into the
    quarantine Parquet, and did exhaust the 2 GB driver. The CSV parser caps a field at MAX_FIELD_CHARS;
    the batch is refused naming the file and the fix, quickly, and the session survives to read on."""
    big = b"".join([_csv(HEADER, ROW.format(id=1)), b"x" * (100 << 20)])
    started = time.monotonic()
    message = _refused(
        spark_s3,
        "2026-01-05",
        {"products-00000.csv": big, "products-00001.csv": GOOD},
        f"{_uri('2026-01-05', 'products-00000.csv')}: a field runs past {MAX_FIELD_CHARS} characters",
        "land it again",
    )
    assert time.monotonic() - started < 120
    assert "products-00001.csv" not in message, "only the broken file is named"
    assert spark_s3.range(3).count() == 3


def test_a_semicolon_separated_file_is_refused_naming_the_delimiter(spark_s3):
    """Every row of a ';'-separated file would be malformed; rather than quarantine a whole file of noise,
    the batch is refused, naming the file, the delimiter found and the one expected."""
    semicolon = _csv(HEADER.replace(",", ";"), ROW.format(id=1).replace(",", ";"))
    _refused(
        spark_s3,
        "2026-01-06",
        {"products-00000.csv": semicolon},
        _uri("2026-01-06", "products-00000.csv"),
        "semicolon-separated (';')",
        "comma-separated",
    )


def test_a_utf8_byte_order_mark_is_stripped_and_a_stray_semicolon_row_quarantined(spark_s3):
    """Excel writes UTF-8 CSV with a byte order mark; it is not data: the header still matches the contract
    and the rows are accepted with their first column intact. One ';'-separated row inside a comma file is
    a bad row, not a bad file: it is quarantined under malformed_row, located by file and line."""
    body = b"\xef\xbb\xbf" + GOOD + _csv(ROW.format(id=3).replace(",", ";"))
    audit = _process(spark_s3, "2026-01-07", {"products-00000.csv": body})
    assert (audit.received, audit.accepted, audit.quarantined, audit.deduplicated) == (3, 2, 1, 0)
    rows = _rows(batch_prefix("products", "2026-01-07"), ["product_id", "sku"])
    assert sorted((r["product_id"], r["sku"]) for r in rows) == [(1, "SKU-1"), (2, "SKU-2")]
    columns = ["_source_file", "_source_line", "rule", "reason"]
    [bad] = _rows(quarantine_prefix("products", "2026-01-07"), columns)
    assert (bad["_source_file"], bad["_source_line"], bad["rule"]) == (
        _uri("2026-01-07", "products-00000.csv"),
        4,
        "malformed_row",
    )
    assert bad["reason"].startswith("row does not parse into the 10 contract columns: 3;")


def test_a_renamed_column_is_refused_naming_the_missing_and_the_unexpected_column(spark_s3):
    """Schema drift: `price` arrives as `unit_price`. Guessing renames is not the ETL's business; the error
    names both columns so the fix (rename back, or change the contract) is obvious."""
    renamed = GOOD.replace(b",price,", b",unit_price,")
    _refused(
        spark_s3,
        "2026-01-08",
        {"products-00000.csv": renamed},
        _uri("2026-01-08", "products-00000.csv"),
        "lacks the products columns price",
        "unit_price",
    )


def test_a_dropped_column_is_refused_naming_it(spark_s3):
    """Schema drift: `brand` no longer exported. Reading the rest with brand empty would quarantine every
    row as required-missing (or, for an optional column, silently load nulls): refused instead."""
    header = [name for name in PRODUCTS.column_names if name != "brand"]
    dropped = _csv(",".join(header), ROW.format(id=1).replace(',"Acme"', ""))
    _refused(
        spark_s3,
        "2026-01-09",
        {"products-00000.csv": dropped},
        _uri("2026-01-09", "products-00000.csv"),
        "lacks the products columns brand",
    )


def test_an_orders_file_under_the_products_prefix_is_refused_naming_where_it_belongs(spark_s3):
    orders = _csv(",".join(ORDERS.column_names))
    _refused(
        spark_s3,
        "2026-01-10",
        {"products-00000.csv": GOOD, "orders-00000.csv": orders},
        _uri("2026-01-10", "orders-00000.csv"),
        "the file holds orders",
        "land it under orders/ingest_date=",
    )


def test_files_outside_an_ingest_date_partition_are_refused_naming_them(spark_s3):
    """A file directly under products/, under a folder that is not ingest_date=YYYY-MM-DD, or nested below
    a batch would never be processed by any run: the run stops naming it instead of silently skipping it."""
    raw = "it-badinput-stray-raw"
    boto3.client("s3").create_bucket(Bucket=raw)
    _land("2026-01-11", {"products-00000.csv": GOOD}, bucket=raw)
    stray = {
        "products/products-00000.csv": s3.uri(raw, "products/products-00000.csv"),
        "products/2026-01-11/products-00000.csv": "products/2026-01-11/",
        "products/ingest_date=2026-13-01/products-00000.csv": "ingest_date=2026-13-01",
        "products/ingest_date=2026-01-11/late/products-00001.csv": "late/products-00001.csv",
    }
    for key, expected in stray.items():
        s3.client().put_object(Bucket=raw, Key=key, Body=GOOD)
        with pytest.raises(RawLayoutError, match="ingest_date=YYYY-MM-DD") as refused:
            run(spark_s3, _options(raw))
        assert expected in str(refused.value)
        s3.client().delete_object(Bucket=raw, Key=key)
    assert landed_ingest_dates(raw, "products") == ["2026-01-11"], "without strays the batch is found"


def test_a_day_with_no_file_commits_an_empty_batch_until_its_files_land(spark_s3):
    """A day on which the entity sent nothing loads: the run for that day commits an empty batch (empty
    Parquet, manifest, audit received 0, not landed), as an empty file would. Files landing for that day
    later are not skipped: the day is pending again, a run for a later day refuses until it is processed."""
    raw, day, next_day = "it-badinput-silent-raw", "2026-02-01", "2026-02-02"
    boto3.client("s3").create_bucket(Bucket=raw)
    options = JobOptions("it-badinput-silent", raw, PROCESSED, day, ("products",), 1.0)

    [audit] = run(spark_s3, options)

    assert (audit.received, audit.accepted, audit.landed, audit.status) == (0, 0, False, "committed")
    assert s3.get_json(PROCESSED, manifest_key(batch_prefix("products", day))) is not None, (
        "the load needs it"
    )
    assert _rows(batch_prefix("products", day), ["product_id"]) == []

    _land(day, {"products-00000.csv": GOOD}, bucket=raw)
    _land(next_day, {"products-00000.csv": GOOD}, bucket=raw)
    with pytest.raises(OutOfOrderBatch, match=f"{day} are not processed yet"):
        run(spark_s3, dataclasses.replace(options, ingest_date=next_day))
    [late] = run(spark_s3, options)
    assert (late.received, late.accepted, late.landed) == (2, 2, True)
    assert [a.ingest_date for a in run(spark_s3, dataclasses.replace(options, ingest_date=next_day))] == [
        next_day
    ]


def test_every_physical_line_gets_one_outcome_and_the_audit_counts_lines(spark_s3):
    """RFC 4180 quoting is read (a doubled quote is a quote, a quoted comma data); a record cut by a line
    break inside quotes is quarantined line by line; an NDJSON line holding two objects or trailing text is
    quarantined whole. received counts the physical lines: nothing is dropped or split."""
    products = _csv(
        HEADER,
        ROW.format(id=1).replace('"Headphones"', '"The ""Quiet"" One, black"'),
        ROW.format(id=2).replace('"Headphones"', '"Head\nphones"'),
        ROW.format(id=3),
    )
    audit = _process(spark_s3, "2026-03-01", {"products-00000.csv": products})
    assert (audit.received, audit.accepted, audit.quarantined) == (4, 2, 2)
    assert audit.rejected_by_rule == {"malformed_row": 2}
    names = _rows(batch_prefix("products", "2026-03-01"), ["product_id", "product_name"])
    assert sorted((r["product_id"], r["product_name"]) for r in names) == [
        (1, 'The "Quiet" One, black'),
        (3, "Headphones"),
    ]
    lines = _rows(quarantine_prefix("products", "2026-03-01"), ["_source_line", "rule"])
    assert sorted((r["_source_line"], r["rule"]) for r in lines) == [
        (3, "malformed_row"),
        (4, "malformed_row"),
    ]

    event = (
        '{{"event_id":"{id}","session_id":"s1","customer_id":null,"anonymous_id":"a1","event_type":"page_view",'
        '"event_ts":"2026-02-28 10:00:00","product_id":null,"order_id":null,"page_url":"/","device":"mobile",'
        '"referrer":null}}'
    )
    events = _csv(
        event.format(id="e1"), event.format(id="e2") + event.format(id="e3"), event.format(id="e4") + " x"
    )
    _land("2026-03-01", {"web_events-00000.json": events}, entity="web_events")
    audit = process_batch(spark_s3, _options(), "web_events", "2026-03-01")
    assert (audit.received, audit.accepted, audit.quarantined) == (3, 1, 2), audit
    assert audit.rejected_by_rule == {"malformed_row": 2}


def test_the_file_that_landed_last_wins_a_duplicate_key_whatever_its_name(spark_s3):
    """Arrival is S3 LastModified (then the key): products-b.csv lands first, products-a.csv a second later
    with the same product_id; a's row wins although its name sorts first."""
    _land("2026-03-02", {"products-b.csv": GOOD})
    time.sleep(1.1)  # S3's LastModified has whole seconds
    _land(
        "2026-03-02", {"products-a.csv": _csv(HEADER, ROW.format(id=1).replace('"Headphones"', '"Earbuds"'))}
    )

    audit = _process(spark_s3, "2026-03-02", {})

    assert (audit.received, audit.accepted, audit.deduplicated) == (3, 2, 1)
    rows = _rows(batch_prefix("products", "2026-03-02"), ["product_id", "product_name"])
    assert sorted((r["product_id"], r["product_name"]) for r in rows) == [(1, "Earbuds"), (2, "Headphones")]
    [loser] = _rows(quarantine_prefix("products", "2026-03-02"), ["_source_file", "rule", "reason"])
    assert loser["_source_file"].endswith("products-b.csv") and loser["rule"] == "duplicate"
    assert "products-a.csv:2, which arrived later" in loser["reason"]
