"""Spark schemas derived from the contracts in ecomdwh.contracts (the one source of column lists)."""

from __future__ import annotations

from pyspark.sql import types as T

from ecomdwh.contracts import EntityContract, decimal_digits

CORRUPT_RECORD = "_corrupt_record"
SOURCE_FILE = "_source_file"
SOURCE_LINE = "_source_line"
SOURCE_LANDED_AT = "_source_landed_at"  # the source file's S3 LastModified: when it arrived
INGEST_DATE = "ingest_date"

_SIMPLE_TYPES: dict[str, T.DataType] = {
    "string": T.StringType(),
    "int": T.LongType(),
    "date": T.DateType(),
    "timestamp": T.TimestampType(),
    "boolean": T.BooleanType(),
}


def spark_type(contract_type: str) -> T.DataType:
    """The Spark type a contract type name casts to (int -> bigint, decimal(p,s) -> decimal(p,s))."""
    if contract_type in _SIMPLE_TYPES:
        return _SIMPLE_TYPES[contract_type]
    digits = decimal_digits(contract_type)
    if digits:
        return T.DecimalType(*digits)
    raise ValueError(f"contract type {contract_type!r} has no Spark type; add it to etl/schemas.py")


def raw_read_schema(contract: EntityContract) -> T.StructType:
    """How raw files are read: every contract column as a string, plus the reader's corrupt-record column."""
    fields = [T.StructField(name, T.StringType(), True) for name in contract.column_names]
    return T.StructType([*fields, T.StructField(CORRUPT_RECORD, T.StringType(), True)])


def raw_schema(contract: EntityContract) -> T.StructType:
    """Raw rows as transforms receive them: string columns, corrupt record, source file and line, and when
    the source file landed."""
    return T.StructType(
        [
            *raw_read_schema(contract).fields,
            T.StructField(SOURCE_FILE, T.StringType(), True),
            T.StructField(SOURCE_LINE, T.LongType(), True),
            T.StructField(SOURCE_LANDED_AT, T.TimestampType(), True),
        ]
    )


def processed_schema(contract: EntityContract) -> T.StructType:
    """The processed contract: contract columns cast to their types, then `ingest_date`."""
    # Every field is nullable, as Parquet written by Spark is; required columns are enforced by rules.
    fields = [T.StructField(c.name, spark_type(c.type), True) for c in contract.columns]
    return T.StructType([*fields, T.StructField(INGEST_DATE, T.DateType(), True)])


def quarantine_schema(contract: EntityContract) -> T.StructType:
    """Rejected rows: the raw text of every column, where they came from, and why they were rejected."""
    return T.StructType(
        [
            *raw_schema(contract).fields,
            T.StructField("rule", T.StringType(), True),
            T.StructField("reason", T.StringType(), True),
            T.StructField(INGEST_DATE, T.DateType(), True),
        ]
    )
