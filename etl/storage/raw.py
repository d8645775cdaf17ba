"""Reading one raw batch: explicit all-string schema (never inferred), malformed records kept in
`_corrupt_record`, and each record's source file, line number and arrival for quarantine reasons and
deduplication.

One physical line is one record, and gets exactly one row: files are read as lines, then each line is
parsed on its own, so a line that does not hold exactly one record (two JSON objects, text after an
object, a CSV row cut by a line break inside quotes) is one malformed row holding the whole line, never
two rows or a silently shortened one. Blank lines hold no record but are counted in line numbers.

CSV follows RFC 4180: quoted fields may hold the delimiter and doubled quotes (`"The ""Oaks"" Inn"` is
`The "Oaks" Inn`). A line break inside quotes is not read as part of the field: the record's lines are
each quarantined as malformed_row with their own line numbers (their quotes do not pair up), and the fix
is to land the file without line breaks in values. Columns are matched by header name, in any order:
extra columns are dropped (logged). The structural rules of a file (its header, a byte order mark, empty
files) are ecomdwh/raw_format.py's, which the raw validation Lambda applies too. A file that cannot be
read as the contract as a whole (another delimiter, another entity's columns, a column named twice, a
truncated or corrupt compressed stream, no header line) stops the job naming the file and the fix, rather
than quarantining every row of it. Empty files, and CSV files holding only their header, hold no rows."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from functools import reduce

from py4j.protocol import Py4JJavaError
from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from ecomdwh.contracts import EntityContract
from ecomdwh.raw_format import RawFormatError, check_json_first_record, csv_header
from etl.schemas import CORRUPT_RECORD, SOURCE_FILE, SOURCE_LANDED_AT, SOURCE_LINE, raw_schema
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
# No contract column holds more (Redshift's VARCHAR stops at 65535 bytes): a longer CSV field is a file
# without its line breaks or not CSV at all. The cap keeps such a line from exhausting the driver.
MAX_FIELD_CHARS = 1 << 20
_FIELD_TOO_LONG = "TextParsingException: Length of parsed input"
_BATCH_FILE = re.compile(rf"{INGEST_PARTITION}(\d{{4}}-\d{{2}}-\d{{2}})/[^/]+")
_LINE = "_line"
_PARSED = "_parsed"
# The key of the object appended to a JSON line to see whether the line holds one value and no more.
_LINE_DIGEST = "_ecomdwh_line_sha256"


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
    """Records of every file under `path` as etl.schemas.raw_schema, one per physical line that is not
    blank (a CSV's header line aside); none when nothing landed under `path`. Line numbers count every
    line of the file from 1 (a CSV header is line 1). Undecodable bytes become U+FFFD (Parquet strings
    must be UTF-8), which the encoding rule quarantines."""
    files = _readable_files(spark, path)
    if not files:
        return spark.createDataFrame([], raw_schema(contract))
    if contract.format == "csv":
        parts = [
            _csv_records(spark, group, contract, header)
            for header, group in sorted(_headers(spark, contract, files).items())
        ]
        records = reduce(DataFrame.unionByName, parts)
    else:
        for file in files:
            _check_json_first_record(spark, file, contract)
        records = _json_records(_lines(spark, files), contract)
    return records.select(*raw_schema(contract).fieldNames())


def _lines(spark: SparkSession, files: list[str]) -> DataFrame:
    """Each non-blank line of `files` (`_line`) with its file, its number in the file and when the file
    landed (S3 LastModified)."""
    text = spark.read.text(files)
    # Each file is one partition, never split (etl.spark.CORRECTNESS_SETTINGS), and the id's low 33 bits
    # number the rows of its partition: the line's place in its file, without a second pass over the data.
    # Numbered before blank lines are left out, so the numbers count those too.
    line_in_file = F.monotonically_increasing_id().bitwiseAND((1 << 33) - 1) + 1
    numbered = text.select(
        F.col("value").alias(_LINE),
        F.input_file_name().alias(SOURCE_FILE),
        line_in_file.alias(SOURCE_LINE),
        F.col("_metadata.file_modification_time").alias(SOURCE_LANDED_AT),
    )
    # Blank: empty or spaces. trim() without a character set works on the bytes; given a set, it keeps an
    # index per character (400 MB for a 100 MB line) and a regex would copy the line into a Java string.
    return numbered.filter(F.trim(F.col(_LINE)) != "")


def _as_utf8(text: Column) -> Column:
    """`text` with bytes that are not UTF-8 replaced by U+FFFD (a line holds the file's bytes as read)."""
    return F.decode(F.encode(text, "UTF-8"), "UTF-8")


def _csv_records(
    spark: SparkSession, files: list[str], contract: EntityContract, header: tuple[str, ...]
) -> DataFrame:
    """The lines of `files`, which share `header` (their line 1), each parsed as one CSV record.
    A line whose quotes do not pair up is malformed as a whole: it is part of a record cut by a line break
    inside quotes, or has a quote outside a quoted field, and its values cannot be trusted."""
    extra = [name for name in header if name not in contract.column_names]
    if extra:
        log.warning("%s: dropping columns %s not in the %s contract", ", ".join(files), extra, contract.name)
    # Positional names: a header's own names may be empty or need quoting in a schema.
    schema = ", ".join([*(f"_c{index} string" for index in range(len(header))), f"{CORRUPT_RECORD} string"])
    options = {
        "escape": '"',  # RFC 4180: a quote inside a quoted field is doubled
        "mode": "PERMISSIVE",
        "columnNameOfCorruptRecord": CORRUPT_RECORD,
        "maxCharsPerColumn": str(MAX_FIELD_CHARS),
    }
    line = F.col(_LINE)
    # Quote bytes, counted byte by byte (no byte of a multi-byte or invalid UTF-8 sequence is a quote).
    unpaired_quotes = (F.octet_length(line) - F.octet_length(F.replace(line, F.lit('"'), F.lit("")))) % 2 == 1
    parsed = (
        _lines(spark, files)
        .filter(F.col(SOURCE_LINE) > 1)
        .withColumn(_PARSED, F.from_csv(line, schema, options))
    )
    malformed = F.col(f"{_PARSED}.{CORRUPT_RECORD}").isNotNull() | unpaired_quotes
    columns = [F.col(f"{_PARSED}._c{header.index(name)}").alias(name) for name in contract.column_names]
    return parsed.select(
        *columns,
        F.when(malformed, _as_utf8(line)).alias(CORRUPT_RECORD),
        SOURCE_FILE,
        SOURCE_LINE,
        SOURCE_LANDED_AT,
    )


def _json_records(lines: DataFrame, contract: EntityContract) -> DataFrame:
    """Each line parsed as one JSON object. Spark's JSON parser reads the first complete value of a text
    and ignores whatever follows it. A line that starts with `{` and whose only `}` is its last character
    cannot hold more than that object: it is parsed as it is (almost every line). Any other line is parsed
    as the array `[<line>, {digest}]`, where {digest} holds the line's own SHA-256, which the line cannot
    contain: the array has exactly those two elements only when the line is one JSON value and nothing
    more (a second object or other text after the first fails the parse or adds elements; a line closing
    the array early drops the digest), and the first must be an object. from_json reads a line's bytes as
    UTF-8 through a decoder that replaces what is not UTF-8 with U+FFFD."""
    line = F.col(_LINE)
    names = (*contract.column_names, _LINE_DIGEST, CORRUPT_RECORD)
    record = T.StructType([T.StructField(name, T.StringType()) for name in names])
    one_closing_brace_last = line.startswith("{") & (F.instr(line, "}") == F.length(line))
    digest = F.sha2(line, 256)
    wrapped = F.concat(F.lit("["), line, F.lit(f',{{"{_LINE_DIGEST}":"'), digest, F.lit('"}]'))
    in_array = F.from_json(wrapped, T.ArrayType(record))  # evaluated per use, on the rare other lines only
    one_value_in_array = (
        (F.size(in_array) == 2) & (in_array[1][_LINE_DIGEST] == digest) & in_array[0].isNotNull()
    )
    as_it_is = F.from_json(line, record, {"columnNameOfCorruptRecord": CORRUPT_RECORD})
    parsed = lines.withColumn(
        _PARSED, F.when(one_closing_brace_last, as_it_is).otherwise(F.when(one_value_in_array, in_array[0]))
    )
    values = F.col(_PARSED)
    one_object = values.isNotNull() & values[CORRUPT_RECORD].isNull()
    return parsed.select(
        *[F.when(one_object, values[name]).alias(name) for name in contract.column_names],
        F.when(~one_object, _as_utf8(line)).alias(CORRUPT_RECORD),
        SOURCE_FILE,
        SOURCE_LINE,
        SOURCE_LANDED_AT,
    )


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
    records = _csv_records(spark, [file], contract, _header(spark, file, contract))
    try:
        records.filter(F.col(CORRUPT_RECORD).isNull()).count()  # the filter makes every line parse
    except Py4JJavaError as exc:
        return _FIELD_TOO_LONG in str(exc.java_exception)
    return False


def _readable_files(spark: SparkSession, path: str) -> list[str]:
    """The batch's files that hold bytes; a compressed one only once it decompresses to its end (a
    truncated stream would give the rows before the cut and silently lose the rest)."""
    readable = []
    for file, size in sized_data_files(spark, path):
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


def _header(spark: SparkSession, file: str, contract: EntityContract) -> tuple[str, ...]:
    line = first_line(spark, file)
    if not line.complete:
        raise RawLayoutError(
            f"{file}: the first line runs past {FIRST_LINE_MAX_BYTES} bytes without a line break, so it is "
            f"not a CSV header; raw {contract.name} files are CSV with a header line of the columns of "
            f"ecomdwh/contracts.py ({', '.join(contract.column_names)})"
        )
    try:
        return csv_header(contract, line.text)
    except RawFormatError as refused:
        raise RawLayoutError(f"{file}: {refused.reason}") from None


def _check_json_first_record(spark: SparkSession, file: str, contract: EntityContract) -> None:
    line = first_line(spark, file)
    if not line.complete:
        return  # a first record longer than FIRST_LINE_MAX_BYTES: its line is judged as a record
    try:
        check_json_first_record(contract, line.text)
    except RawFormatError as refused:
        raise RawLayoutError(f"{file}: {refused.reason}") from None
