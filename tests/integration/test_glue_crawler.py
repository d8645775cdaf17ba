"""A crawler started on the emulator creates tables and partitions from what lies in S3."""

from __future__ import annotations

import io
import time

import boto3
import pyarrow as pa
import pyarrow.parquet as pq
import pytest


def _wait_ready(glue, name: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while (found := glue.get_crawler(Name=name)["Crawler"])["State"] != "READY":
        assert time.monotonic() < deadline, f"crawler {name} still {found['State']}"
        time.sleep(0.2)
    return found


@pytest.fixture
def glue(aws_env):
    if reason := aws_env.gap("glue"):
        pytest.skip(reason)
    return boto3.client("glue")


def test_crawl_creates_tables_with_inferred_schema_and_partitions(glue):
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="it-crawl-raw")
    for day in ("2026-01-01", "2026-01-02"):
        s3.put_object(
            Bucket="it-crawl-raw",
            Key=f"orders/ingest_date={day}/orders-0000.csv",
            Body=b"order_id,status,discount_amount\n1,paid,0.50\n2,shipped,0.00\n",
        )
    s3.put_object(Bucket="it-crawl-raw", Key="_manifests/ingest_date=2026-01-01/manifest.json", Body=b"{}")
    buffer = io.BytesIO()
    pq.write_table(pa.table({"event_id": ["e1"], "product_id": pa.array([7], pa.int32())}), buffer)
    s3.put_object(
        Bucket="it-crawl-raw", Key="web_events/ingest_date=2026-01-01/part-0.parquet", Body=buffer.getvalue()
    )
    glue.create_database(DatabaseInput={"Name": "it_crawl"})
    glue.create_crawler(
        Name="it-crawler",
        Role="arn:aws:iam::123456789012:role/crawler",
        DatabaseName="it_crawl",
        TablePrefix="raw_",
        Targets={"S3Targets": [{"Path": "s3://it-crawl-raw/"}]},
    )

    glue.start_crawler(Name="it-crawler")
    found = _wait_ready(glue, "it-crawler")

    assert found["LastCrawl"]["Status"] == "SUCCEEDED"
    tables = {t["Name"]: t for t in glue.get_tables(DatabaseName="it_crawl")["TableList"]}
    assert sorted(tables) == ["raw_orders", "raw_web_events"]
    orders = tables["raw_orders"]
    assert orders["StorageDescriptor"]["Columns"] == [
        {"Name": "order_id", "Type": "bigint"},
        {"Name": "status", "Type": "string"},
        {"Name": "discount_amount", "Type": "double"},
    ]
    assert orders["PartitionKeys"] == [{"Name": "ingest_date", "Type": "string"}]
    partitions = glue.get_partitions(DatabaseName="it_crawl", TableName="raw_orders")["Partitions"]
    assert sorted(p["Values"][0] for p in partitions) == ["2026-01-01", "2026-01-02"]
    assert tables["raw_web_events"]["StorageDescriptor"]["Columns"] == [
        {"Name": "event_id", "Type": "string"},
        {"Name": "product_id", "Type": "int"},
    ]


def test_a_crawl_that_cannot_read_its_data_fails_with_the_object_named(glue):
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="it-crawl-bad")
    s3.put_object(Bucket="it-crawl-bad", Key="orders/part-0.parquet", Body=b"not parquet at all")
    glue.create_database(DatabaseInput={"Name": "it_crawl_bad"})
    glue.create_crawler(
        Name="it-crawler-bad",
        Role="arn:aws:iam::123456789012:role/crawler",
        DatabaseName="it_crawl_bad",
        Targets={"S3Targets": [{"Path": "s3://it-crawl-bad/"}]},
    )
    glue.start_crawler(Name="it-crawler-bad")
    found = _wait_ready(glue, "it-crawler-bad")
    assert found["LastCrawl"]["Status"] == "FAILED"
    assert "s3://it-crawl-bad/orders/part-0.parquet" in found["LastCrawl"]["ErrorMessage"]
