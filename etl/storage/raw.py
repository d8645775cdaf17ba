"""Reading one raw batch: explicit all-string schema (never inferred), malformed rows kept in
`_corrupt_record`, and each row's source file and line number for quarantine reasons.

CSV columns are matched by header name: a file whose header adds columns to the contract's is read
with its own header and the extra columns are dropped (logged); a header missing contract columns
stops the job naming the file."""

from __future__ import annotations

import csv
import logging
from collections import defaultdict
from functools import reduce

from pyspark.sql import DataFrame, DataFrameReader, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from ecomdwh.contracts import EntityContract
from etl.schemas import CORRUPT_RECORD, SOURCE_FILE, SOURCE_LINE, raw_read_schema, raw_schema
from etl.storage import s3
from etl.storage.files import data_files, first_line
from etl.storage.layout import INGEST_PARTITION

ROW_ID = "_row_id"
log = logging.getLogger("etl")


class RawLayoutError(ValueError):
    """Raw files that cannot be read against their contract, worded with the file and the fix."""


def landed_ingest_dates(bucket: str, entity: str) -> list[str]:
    """Ingest dates that have a raw partition for the entity, oldest first."""
    folders = s3.list_subfolders(bucket, f"{entity}/")
    return sorted(f[len(INGEST_PARTITION) :] for f in folders if f.startswith(INGEST_PARTITION))


def read_raw(spark: SparkSession, contract: EntityContract, path: str) -> DataFrame:
    """Rows of every file under `path` as etl.schemas.raw_schema. Line numbers count from the file's
    first line (a CSV header is line 1) and assume no blank lines, which Spark skips."""
    reader = spark.read.option("mode", "PERMISSIVE").option("columnNameOfCorruptRecord", CORRUPT_RECORD)
    if contract.format == "csv":
        rows, header_lines = _read_csv_by_header(spark, reader, contract, path), 1
    else:
        rows, header_lines = reader.schema(raw_read_schema(contract)).json(path), 0
    # A JSON line that is not UTF-8 reaches `_corrupt_record` byte for byte; Parquet strings must be
    # UTF-8 for every reader, so undecodable bytes become U+FFFD (and the row stays malformed).
    rows = rows.withColumn(CORRUPT_RECORD, F.decode(F.encode(CORRUPT_RECORD, "UTF-8"), "UTF-8"))
    row_id = F.monotonically_increasing_id().alias(ROW_ID)
    with_ids = rows.select("*", F.input_file_name().alias(SOURCE_FILE), row_id)
    # A file is never split (etl.spark.CORRECTNESS_SETTINGS), so its rows carry consecutive ids.
    first_ids = with_ids.groupBy(SOURCE_FILE).agg(F.min(ROW_ID).alias("_first_id"))
    numbered = with_ids.join(F.broadcast(first_ids), on=SOURCE_FILE, how="inner").withColumn(
        SOURCE_LINE, F.col(ROW_ID) - F.col("_first_id") + 1 + header_lines
    )
    return numbered.select(*raw_schema(contract).fieldNames())


def _read_csv_by_header(
    spark: SparkSession, reader: DataFrameReader, contract: EntityContract, path: str
) -> DataFrame:
    files_by_header: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for file in data_files(spark, path):
        files_by_header[_header(spark, file, contract)].append(file)
    if not files_by_header:
        raise RawLayoutError(f"no raw files under {path}; land the batch there first")
    parts = []
    for header, files in sorted(files_by_header.items()):
        extra = [name for name in header if name not in contract.column_names]
        if extra:
            log.warning(
                "%s: dropping columns %s not in the %s contract", ", ".join(files), extra, contract.name
            )
        fields = [T.StructField(name, T.StringType()) for name in (*header, CORRUPT_RECORD)]
        frame = (
            reader.schema(T.StructType(fields))
            .option("header", True)
            .option("enforceSchema", False)
            .csv(files)
        )
        parts.append(frame.select(*raw_read_schema(contract).fieldNames()))
    return reduce(DataFrame.unionByName, parts)


def _header(spark: SparkSession, file: str, contract: EntityContract) -> tuple[str, ...]:
    names = tuple(next(csv.reader([first_line(spark, file)]), []))
    missing = [name for name in contract.column_names if name not in names]
    if missing:
        raise RawLayoutError(
            f"{file}: CSV header lacks the {contract.name} columns {', '.join(missing)}; raw files need a "
            f"header with the columns of ecomdwh/contracts.py ({', '.join(contract.column_names)})"
        )
    return names
