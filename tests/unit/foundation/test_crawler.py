from datetime import UTC, datetime

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from emulation import crawler


def _obj(key: str, minute: int = 0, size: int = 100) -> dict:
    return {"Key": key, "LastModified": datetime(2026, 1, 1, 0, minute, tzinfo=UTC), "Size": size}


def test_folders_under_the_target_become_partitioned_tables_and_underscore_paths_are_skipped():
    objects = [
        _obj("orders/ingest_date=2026-01-01/orders-0000.csv", 1),
        _obj("orders/ingest_date=2026-01-02/orders-0000.csv", 2),
        _obj("web_events/ingest_date=2026-01-01/web_events-0000.json"),
        _obj("_manifests/ingest_date=2026-01-01/manifest.json"),
        _obj("orders/ingest_date=2026-01-01/_SUCCESS"),
    ]
    tables = crawler.discover_tables("s3://raw/", objects, exclusions=[])
    assert [(t.name, t.format, t.partition_keys) for t in tables] == [
        ("orders", "csv", ["ingest_date"]),
        ("web_events", "json", ["ingest_date"]),
    ]
    orders = tables[0]
    assert orders.location == "s3://raw/orders/"
    assert orders.partitions == {
        ("2026-01-01",): "s3://raw/orders/ingest_date=2026-01-01/",
        ("2026-01-02",): "s3://raw/orders/ingest_date=2026-01-02/",
    }
    assert orders.newest_key == "orders/ingest_date=2026-01-02/orders-0000.csv"


def test_an_empty_file_gives_no_schema_sample_and_a_table_of_only_empty_files_is_left_out():
    objects = [
        _obj("web_events/ingest_date=2026-01-01/web_events-0000.json", 1),
        _obj("web_events/ingest_date=2026-01-02/web_events-0000.json", 2, size=0),  # "nothing today"
        _obj("orders/ingest_date=2026-01-02/orders-0000.csv", 2, size=0),
    ]
    tables = crawler.discover_tables("s3://raw/", objects, exclusions=[])
    assert [t.name for t in tables] == ["web_events"]
    assert tables[0].newest_key == "web_events/ingest_date=2026-01-01/web_events-0000.json"
    assert set(tables[0].partitions) == {("2026-01-01",), ("2026-01-02",)}


def test_a_target_holding_partitions_itself_is_one_table_named_after_it():
    tables = crawler.discover_tables(
        "s3://processed/orders/", [_obj("orders/ingest_date=2026-01-01/part-0.parquet")], []
    )
    assert [(t.name, t.location) for t in tables] == [("orders", "s3://processed/orders/")]


def test_exclusions_and_mixed_formats():
    objects = [_obj("orders/a.csv"), _obj("quarantine/orders/x.parquet")]
    assert [t.name for t in crawler.discover_tables("s3://b/", objects, ["quarantine/**"])] == ["orders"]
    with pytest.raises(crawler.CrawlError, match=r"mixes \.csv and \.json"):
        crawler.discover_tables("s3://b/", [_obj("orders/a.csv"), _obj("orders/b.json")], [])


def test_csv_types_are_inferred_and_a_cut_last_line_is_ignored():
    sample = b"order_id,amount,status,is_gift\n1,9.5,paid,true\n2,10.25,shipped,false\n3,1"
    assert crawler.infer_columns("csv", sample) == [
        {"Name": "order_id", "Type": "bigint"},
        {"Name": "amount", "Type": "double"},
        {"Name": "status", "Type": "string"},
        {"Name": "is_gift", "Type": "boolean"},
    ]


def test_parquet_types_come_from_the_schema(tmp_path):
    table = pa.table(
        {
            "id": pa.array([1], pa.int64()),
            "price": pa.array([1], pa.decimal128(12, 2)),
            "d": pa.array([0], pa.date32()),
        }
    )
    pq.write_table(table, tmp_path / "p.parquet")
    columns = crawler.infer_columns("parquet", (tmp_path / "p.parquet").read_bytes())
    assert [c["Type"] for c in columns] == ["bigint", "decimal(12,2)", "date"]


def test_malformed_rows_and_bytes_are_left_out_of_the_inference():
    csv_sample = b"order_id,status\n1,paid\n2,shipped,extra,fields\n3,\xff\xfebad\n"
    assert crawler.infer_columns("csv", csv_sample) == [
        {"Name": "order_id", "Type": "bigint"},
        {"Name": "status", "Type": "string"},
    ]
    json_sample = b'{"event_id": "e1", "n": 1}\n{broken\n{"event_id": "e2", "n": 2}\n'
    assert crawler.infer_columns("json", json_sample) == [
        {"Name": "event_id", "Type": "string"},
        {"Name": "n", "Type": "bigint"},
    ]


def test_a_json_field_of_mixed_kinds_is_a_string_and_the_others_keep_their_types():
    """A dirty row's customer_id "12a" among numbers: AWS's JSON classifier types the field string."""
    sample = (
        b'{"event_id": "e1", "customer_id": 7, "at": "2026-01-01T10:00:00", "note": null}\n'
        b'{"event_id": "e2", "customer_id": "12a", "at": "2026-01-01T11:00:00", "note": null}\n'
    )
    assert crawler.infer_columns("json", sample) == [
        {"Name": "event_id", "Type": "string"},
        {"Name": "customer_id", "Type": "string"},
        {"Name": "at", "Type": "timestamp"},
        {"Name": "note", "Type": "string"},
    ]
