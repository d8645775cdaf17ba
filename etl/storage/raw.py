"""Reading one raw batch: explicit all-string schema (never inferred), malformed rows kept in
`_corrupt_record`, and each row's source file and line number for quarantine reasons."""

from __future__ import annotations

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from ecomdwh.contracts import EntityContract
from etl.schemas import CORRUPT_RECORD, SOURCE_FILE, SOURCE_LINE, raw_read_schema, raw_schema
from etl.storage import s3
from etl.storage.layout import INGEST_PARTITION

ROW_ID = "_row_id"


def landed_ingest_dates(bucket: str, entity: str) -> list[str]:
    """Ingest dates that have a raw partition for the entity, oldest first."""
    folders = s3.list_subfolders(bucket, f"{entity}/")
    return sorted(f[len(INGEST_PARTITION) :] for f in folders if f.startswith(INGEST_PARTITION))


def read_raw(spark: SparkSession, contract: EntityContract, path: str) -> DataFrame:
    """Rows of every file under `path` as etl.schemas.raw_schema. CSV headers must match the contract's
    column order (Spark fails naming the file otherwise). Line numbers count from the file's first line
    (the CSV header is line 1) and assume no blank lines, which Spark skips."""
    reader = (
        spark.read.schema(raw_read_schema(contract))
        .option("mode", "PERMISSIVE")
        .option("columnNameOfCorruptRecord", CORRUPT_RECORD)
    )
    if contract.format == "csv":
        rows, header_lines = reader.option("header", True).option("enforceSchema", False).csv(path), 1
    else:
        rows, header_lines = reader.json(path), 0
    row_id = F.monotonically_increasing_id().alias(ROW_ID)
    with_ids = rows.select("*", F.input_file_name().alias(SOURCE_FILE), row_id)
    # A file is never split (etl.spark.CORRECTNESS_SETTINGS), so its rows carry consecutive ids.
    first_ids = with_ids.groupBy(SOURCE_FILE).agg(F.min(ROW_ID).alias("_first_id"))
    numbered = with_ids.join(F.broadcast(first_ids), on=SOURCE_FILE, how="inner").withColumn(
        SOURCE_LINE, F.col(ROW_ID) - F.col("_first_id") + 1 + header_lines
    )
    return numbered.select(*raw_schema(contract).fieldNames())
