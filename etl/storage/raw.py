"""Reading one raw batch: explicit all-string schema (never inferred), malformed rows kept in
`_corrupt_record`, and each row's source file and line number for quarantine reasons.

CSV columns are matched by header name: a file whose header adds columns to the contract's is read
with its own header and the extra columns are dropped (logged); a header missing contract columns
stops the job naming the file. A file that cannot be read as the contract as a whole (another
delimiter, another entity's columns, a truncated or corrupt compressed stream, no header line) stops
the job naming the file and the fix, rather than quarantining every row of it. Empty files hold no
rows; a UTF-8 byte order mark before the header is not part of it."""

from __future__ import annotations

import csv
import datetime as dt
import logging
import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from functools import reduce

from py4j.protocol import Py4JJavaError
from pyspark.sql import DataFrame, DataFrameReader, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from ecomdwh.contracts import ENTITIES, EntityContract
from etl.schemas import CORRUPT_RECORD, SOURCE_FILE, SOURCE_LINE, raw_read_schema, raw_schema
from etl.storage import s3
from etl.storage.files import (
    FIRST_LINE_MAX_BYTES,
    decompression_error,
    first_line,
    is_compressed,
    sized_data_files,
)
from etl.storage.layout import INGEST_PARTITION

log = logging.getLogger("etl")
BYTE_ORDER_MARK = "\ufeff"
OTHER_DELIMITERS = (";", "\t", "|")
# No contract column holds more (Redshift's VARCHAR stops at 65535 bytes): a longer CSV field is a file
# without its line breaks or not CSV at all. The cap keeps such a line from exhausting the driver.
MAX_FIELD_CHARS = 1 << 20
_FIELD_TOO_LONG = "TextParsingException: Length of parsed input"
_BATCH_FILE = re.compile(rf"{INGEST_PARTITION}(\d{{4}}-\d{{2}}-\d{{2}})/[^/]+")


class RawLayoutError(ValueError):
    """Raw files that cannot be read against their contract, worded with the file and the fix."""


def landed_ingest_dates(bucket: str, entity: str) -> list[str]:
    """Ingest dates that have a raw partition for the entity, oldest first. An object under `<entity>/`
    that is not a file of an `ingest_date=YYYY-MM-DD/` partition would never be processed, so it stops
    the run, named, rather than being skipped in silence."""
    dates, stray = set(), []
    for key in s3.list_keys(bucket, f"{entity}/"):
        rest = key[len(entity) + 1 :]
        if key.endswith("/") or rest.rsplit("/", 1)[-1].startswith(("_", ".")):
            continue  # folder markers and hidden files (names starting with _ or .), as Spark skips them
        batch = _BATCH_FILE.fullmatch(rest)
        if batch and _is_date(batch.group(1)):
            dates.add(batch.group(1))
        else:
            stray.append(s3.uri(bucket, key))
    if stray:
        shown = ", ".join(stray[:5]) + (f" and {len(stray) - 5} more" if len(stray) > 5 else "")
        raise RawLayoutError(
            f"{shown}: not a file directly in an {INGEST_PARTITION}YYYY-MM-DD/ partition of {entity}, so no "
            f"run would process it; move it to {s3.uri(bucket, f'{entity}/{INGEST_PARTITION}')}YYYY-MM-DD/ "
            "(the day it landed) or delete it"
        )
    return sorted(dates)


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def read_raw(spark: SparkSession, contract: EntityContract, path: str) -> DataFrame:
    """Rows of every file under `path` as etl.schemas.raw_schema. Line numbers count from the file's
    first line (a CSV header is line 1) and assume no blank lines, which Spark skips."""
    reader = spark.read.option("mode", "PERMISSIVE").option("columnNameOfCorruptRecord", CORRUPT_RECORD)
    files = _readable_files(spark, path)
    if not files:
        rows = spark.createDataFrame([], raw_read_schema(contract))
        header_lines = 0
    elif contract.format == "csv":
        rows, header_lines = _read_csv_by_header(reader, contract, _headers(spark, contract, files)), 1
    else:
        rows, header_lines = reader.schema(raw_read_schema(contract)).json(files), 0
    if contract.format == "json":
        # A JSON line that is not UTF-8 reaches `_corrupt_record` byte for byte; Parquet strings must be
        # UTF-8 for every reader, so undecodable bytes become U+FFFD (and the row stays malformed). The CSV
        # reader decodes its lines itself (a copy of a huge line saved here).
        rows = rows.withColumn(CORRUPT_RECORD, F.decode(F.encode(CORRUPT_RECORD, "UTF-8"), "UTF-8"))
    # Each file is one partition, never split (etl.spark.CORRECTNESS_SETTINGS), and the id's low 33 bits
    # number the rows of its partition: the row's place in its file, without a second pass over the data.
    row_in_file = F.monotonically_increasing_id().bitwiseAND((1 << 33) - 1)
    numbered = rows.select(
        "*",
        F.input_file_name().alias(SOURCE_FILE),
        (row_in_file + 1 + header_lines).alias(SOURCE_LINE),
    )
    return numbered.select(*raw_schema(contract).fieldNames())


@contextmanager
def refusing_unreadable_files(spark: SparkSession, contract: EntityContract, path: str) -> Iterator[None]:
    """Around the first action on read_raw's rows: a CSV field over MAX_FIELD_CHARS fails Spark's parser
    without naming the file; this finds the file(s) and raises RawLayoutError naming them and the fix."""
    try:
        yield
    except Py4JJavaError as exc:
        if contract.format != "csv" or _FIELD_TOO_LONG not in str(exc.java_exception):
            raise
        culprits = [file for file in _readable_files(spark, path) if _field_too_long(spark, contract, file)]
        raise RawLayoutError(
            f"{', '.join(culprits) or path}: a field runs past {MAX_FIELD_CHARS} characters (no contract "
            "column holds that much: the file has lost its line breaks or is not CSV); export it again as "
            f"CSV, one {contract.name} row per line, and land it again"
        ) from exc


def _field_too_long(spark: SparkSession, contract: EntityContract, file: str) -> bool:
    reader = spark.read.option("mode", "PERMISSIVE").option("columnNameOfCorruptRecord", CORRUPT_RECORD)
    try:
        _read_csv_by_header(reader, contract, {_header(spark, file, contract): [file]}).count()
    except Py4JJavaError as exc:
        return _FIELD_TOO_LONG in str(exc.java_exception)
    return False


def _readable_files(spark: SparkSession, path: str) -> list[str]:
    """The batch's files that hold bytes; a compressed one only once it decompresses to its end (a
    truncated stream would give the rows before the cut and silently lose the rest)."""
    files = sized_data_files(spark, path)
    if not files:
        raise RawLayoutError(f"no raw files under {path}; land the batch there first")
    readable = []
    for file, size in files:
        if size == 0:
            log.warning("%s: empty file (0 bytes), no rows", file)
            continue
        if is_compressed(spark, file):
            error = decompression_error(spark, file)
            if error:
                raise RawLayoutError(
                    f"{file}: the compressed file is truncated or corrupt ({error}); its rows cannot all "
                    "be read: land it again whole (check the upload finished) and re-run the batch"
                )
        readable.append(file)
    return readable


def _headers(
    spark: SparkSession, contract: EntityContract, files: list[str]
) -> dict[tuple[str, ...], list[str]]:
    files_by_header: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for file in files:
        files_by_header[_header(spark, file, contract)].append(file)
    return files_by_header


def _read_csv_by_header(
    reader: DataFrameReader, contract: EntityContract, files_by_header: dict[tuple[str, ...], list[str]]
) -> DataFrame:
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
            .option("maxCharsPerColumn", MAX_FIELD_CHARS)
            .csv(files)
        )
        parts.append(frame.select(*raw_read_schema(contract).fieldNames()))
    return reduce(DataFrame.unionByName, parts)


def _header(spark: SparkSession, file: str, contract: EntityContract) -> tuple[str, ...]:
    line = first_line(spark, file)
    if not line.complete:
        raise RawLayoutError(
            f"{file}: the first line runs past {FIRST_LINE_MAX_BYTES} bytes without a line break, so it is "
            f"not a CSV header; raw {contract.name} files are CSV with a header line of the columns of "
            f"ecomdwh/contracts.py ({', '.join(contract.column_names)})"
        )
    text = line.text.removeprefix(BYTE_ORDER_MARK)  # Excel's UTF-8 CSV; Hadoop's line reader skips it too
    names = _split(text, ",")
    missing = [name for name in contract.column_names if name not in names]
    if missing:
        raise RawLayoutError(f"{file}: {_header_fix(file, contract, text, names, missing)}")
    return names


def _split(text: str, delimiter: str) -> tuple[str, ...]:
    return tuple(next(csv.reader([text], delimiter=delimiter), []))


def _header_fix(
    file: str, contract: EntityContract, text: str, names: tuple[str, ...], missing: list[str]
) -> str:
    """Why a header does not match the contract, and the fix, as specific as the header allows."""
    columns = ", ".join(contract.column_names)
    for delimiter in OTHER_DELIMITERS:
        if set(contract.column_names) <= set(_split(text, delimiter)):
            return (
                f"the file is {delimiter!r}-separated; raw {contract.name} files are comma-separated CSV: "
                f"export it again with ',' as the delimiter and land it again"
            )
    for other in ENTITIES.values():
        if other.name != contract.name and other.format == "csv" and set(other.column_names) <= set(names):
            folder = file.rsplit("/", 1)[0].replace(
                f"/{contract.name}/{INGEST_PARTITION}", f"/{other.name}/{INGEST_PARTITION}"
            )
            return (
                f"the file holds {other.name} (its header has the {other.name} columns), not {contract.name}; "
                f"move it to {folder}/"
            )
    extra = [name for name in names if name not in contract.column_names]
    unexpected = f"; it has columns the contract lacks: {', '.join(extra)} (renamed?)" if extra else ""
    return (
        f"CSV header lacks the {contract.name} columns {', '.join(missing)}{unexpected}; raw files need a "
        f"comma-separated header with the columns of ecomdwh/contracts.py ({columns})"
    )
