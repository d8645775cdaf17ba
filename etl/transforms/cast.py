"""Strict casting of normalised strings to contract types: a value that does not parse becomes null
(and the `type` rule rejects its row). Spark's lenient casts are not used: '12.7' is no int, '1.005' no
decimal(12,2) (it would be rounded), '2025' no timestamp (it would be 2025-01-01 00:00:00). A number too
large for its type also becomes null (Spark's casts, ANSI mode off, give null on overflow)."""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from ecomdwh.contracts import INT64_MAX, EntityContract, decimal_digits
from etl.schemas import spark_type
from etl.transforms.normalise import normalised

INTEGER = r"^[+-]?[0-9]+$"
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
# The contract's timestamp formats (ecomdwh.contracts): a date, a space or T, a time of day to the
# second, up to 6 fractional digits, no zone.
TIMESTAMP = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?$"
TRUE_WORDS = ("true", "t", "yes", "y", "1")
FALSE_WORDS = ("false", "f", "no", "n", "0")


def text_col(name: str) -> str:
    """Name of the normalised-text column kept beside each contract column while validating."""
    return f"{name}__text"


def typed_col(name: str) -> str:
    """Name of the typed value column kept beside each contract column while validating."""
    return f"{name}__typed"


def decimal_pattern(scale: int) -> str:
    """Plain decimal notation with at most `scale` significant fractional digits (trailing zeros
    beyond it are fine: they do not round)."""
    return rf"^[+-]?([0-9]+(\.[0-9]{{0,{scale}}}0*)?|\.[0-9]{{1,{scale}}}0*)$"


def written_as(contract_type: str) -> str:
    """How a value of `contract_type` must be written, as `parse` takes it (for rejection reasons)."""
    if contract_type == "int":
        return f"a whole number from {-INT64_MAX - 1} to {INT64_MAX}"
    if digits := decimal_digits(contract_type):
        precision, scale = digits
        return f"a plain number, at most {precision - scale} digits before the point and {scale} after"
    if contract_type == "date":
        return "YYYY-MM-DD"
    if contract_type == "timestamp":
        return "YYYY-MM-DD HH:MM:SS, optionally T for the space and up to 6 fractional digits, no zone"
    if contract_type == "boolean":
        return f"one of {', '.join(TRUE_WORDS)} or {', '.join(FALSE_WORDS)}"
    raise ValueError(f"no form for contract type {contract_type!r}; add one to etl/transforms/cast.py")


def parse(text: Column, contract_type: str) -> Column:
    """`text` parsed as `contract_type`, or null when it does not parse."""
    target = spark_type(contract_type)
    if contract_type == "string":
        return text
    if contract_type == "int":
        return F.when(text.rlike(INTEGER), text.cast(target))
    if digits := decimal_digits(contract_type):
        return F.when(text.rlike(decimal_pattern(digits[1])), text.cast(target))
    if contract_type == "date":
        return F.when(text.rlike(DATE), F.to_date(text, "yyyy-MM-dd"))
    if contract_type == "timestamp":
        return F.when(text.rlike(TIMESTAMP), text.cast(target))
    if contract_type == "boolean":
        folded = F.lower(text)
        return F.when(folded.isin(*TRUE_WORDS), F.lit(True)).when(folded.isin(*FALSE_WORDS), F.lit(False))
    raise ValueError(f"no parser for contract type {contract_type!r}; add one to etl/transforms/cast.py")


def with_text_columns(raw: DataFrame, contract: EntityContract) -> DataFrame:
    """Adds, per contract column, its normalised text; raw columns stay as landed."""
    return raw.select("*", *[normalised(c.name).alias(text_col(c.name)) for c in contract.columns])


def with_typed_columns(raw: DataFrame, contract: EntityContract) -> DataFrame:
    """Adds, per contract column, its normalised text and its typed value; raw columns stay as landed."""
    return with_text_columns(raw, contract).select(
        "*", *[parse(F.col(text_col(c.name)), c.type).alias(typed_col(c.name)) for c in contract.columns]
    )
