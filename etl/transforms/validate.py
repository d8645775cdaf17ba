"""Validation: an ordered list of rules per entity; a row is rejected by the first rule it fails,
with that rule's name and a reason naming the column and value.

Every row gets only the position of the first rule it fails (`failed_rule`); names and reasons are
looked up from it afterwards, the reasons for rejected rows alone. Building a reason per row for every
rule made the generated code of the check several times larger, and compiling it to machine code
took longer than the check itself at a million rows."""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from ecomdwh.contracts import Column as ContractColumn
from ecomdwh.contracts import EntityContract, LineProduct
from etl.schemas import CORRUPT_RECORD
from etl.transforms.cast import text_col, typed_col, written_as

FAILED_RULE = "failed_rule"
RULE = "rule"
REASON = "reason"
REPLACEMENT_CHARACTER = "\ufffd"
# Largest referenced key set a referential check broadcasts (~100 MB as a hash table of bigint keys).
BROADCAST_MAX_KEYS = 4_000_000
QUOTED_CHARS = 40  # how much of an over-long value a length reason quotes


@dataclass(frozen=True)
class Rule:
    name: str
    fails: Column  # true when the row breaks the rule; null counts as passing
    reason: Column  # string explaining the failure for this row


@dataclass(frozen=True)
class Reference:
    """Foreign key: `column` must be a `key` of the processed `entity` (nulls pass)."""

    column: str
    entity: str
    key: str

    @property
    def found_col(self) -> str:
        return f"{self.column}__found_in_{self.entity}"


def value_reason(name: str, complaint: str) -> Column:
    """Reason text quoting the row's value: "<name> '<value>' <complaint>"."""
    return F.concat(F.lit(f"{name} '"), F.col(text_col(name)), F.lit(f"' {complaint}"))


def malformed_row_rule(contract: EntityContract) -> Rule:
    expected = len(contract.columns)
    return Rule(
        "malformed_row",
        F.col(CORRUPT_RECORD).isNotNull(),
        F.concat(
            F.lit(f"row does not parse into the {expected} contract columns: "),
            F.substring(F.col(CORRUPT_RECORD), 1, 200),
        ),
    )


def encoding_rule(contract: EntityContract) -> Rule:
    """Bytes that were not UTF-8 reach Spark as U+FFFD; such a row is quarantined rather than repaired."""
    bad = {name: F.col(name).contains(REPLACEMENT_CHARACTER) for name in contract.column_names}
    first_bad = F.coalesce(*[F.when(is_bad, F.lit(name)) for name, is_bad in bad.items()])
    return Rule(
        "encoding",
        reduce(operator.or_, bad.values()),
        F.concat(first_bad, F.lit(" is not valid UTF-8 text (the file must be UTF-8 encoded)")),
    )


def required_rules(contract: EntityContract) -> list[Rule]:
    return [
        Rule("required", F.col(text_col(name)).isNull(), F.lit(f"{name} is empty"))
        for name in contract.required_columns
    ]


def type_rules(contract: EntityContract) -> list[Rule]:
    return [
        Rule(
            "type",
            F.col(text_col(c.name)).isNotNull() & F.col(typed_col(c.name)).isNull(),
            value_reason(c.name, f"is not a valid {c.type} ({written_as(c.type)})"),
        )
        for c in contract.columns
        if c.type != "string"
    ]


def length_rule(column: ContractColumn) -> Rule:
    """The value fits its warehouse VARCHAR, counted in UTF-8 bytes as Redshift counts (a character
    outside ASCII takes 2 to 4). The reason quotes the value's start only: it may be megabytes long."""
    value = F.col(typed_col(column.name))
    return Rule(
        "length",
        F.octet_length(value) > column.max_bytes,
        F.concat(
            F.lit(f"{column.name} '"),
            F.substring(value, 1, QUOTED_CHARS),
            F.lit("...' is "),
            F.octet_length(value).cast("string"),
            F.lit(f" bytes, longer than its {column.max_bytes} (VARCHAR({column.max_bytes}), UTF-8 bytes)"),
        ),
    )


def range_rule(column: ContractColumn) -> Rule:
    """The value is within the column's `minimum`..`maximum` (either may be open)."""
    value = F.col(typed_col(column.name))
    low, high = column.minimum, column.maximum
    fails = [value < F.lit(low)] if low is not None else []
    fails += [value > F.lit(high)] if high is not None else []
    if low is not None and high is not None:
        bound = f"outside {low}..{high}"
    elif low is not None:
        bound = f"not at least {low}"
    else:
        bound = f"more than {high}"
    return Rule("range", reduce(operator.or_, fails), value_reason(column.name, f"is {bound}"))


def allowed_values_rule(column: ContractColumn) -> Rule:
    return Rule(
        "allowed_values",
        ~F.col(typed_col(column.name)).isin(*column.allowed),
        value_reason(column.name, f"is not one of {', '.join(column.allowed)}"),
    )


def line_product_rule(product: LineProduct) -> Rule:
    """left * right of the row fits the warehouse column the load computes from them (both sides are
    within their own types by now, so Spark's decimal product is exact)."""
    value = F.col(typed_col(product.left)) * F.col(typed_col(product.right))
    return Rule(
        "range",
        F.abs(value) > F.lit(product.maximum),
        F.concat(
            F.lit(f"{product.left} * {product.right} = "),
            value.cast("string"),
            F.lit(f" does not fit {product.target}, a {product.type} (at most {product.maximum})"),
        ),
    )


def limit_rules(contract: EntityContract) -> list[Rule]:
    """The warehouse's limits, from the contract: byte lengths, ranges, allowed values, per-row products."""
    columns = contract.columns
    return [
        *[length_rule(c) for c in columns if c.max_bytes is not None],
        *[range_rule(c) for c in columns if c.minimum is not None or c.maximum is not None],
        *[allowed_values_rule(c) for c in columns if c.allowed],
        *[line_product_rule(p) for p in contract.line_products],
    ]


def structural_rules(contract: EntityContract) -> list[Rule]:
    """Rules every entity starts with: the row parses as UTF-8 text, required values are present, values
    have their type and fit the warehouse's limits."""
    return [
        malformed_row_rule(contract),
        encoding_rule(contract),
        *required_rules(contract),
        *type_rules(contract),
        *limit_rules(contract),
    ]


def with_reference_flags(
    df: DataFrame, references: Sequence[Reference], known_keys: dict[str, DataFrame]
) -> DataFrame:
    """Adds, per reference, a boolean column telling whether the value exists in `known_keys[entity]`
    (a one-column DataFrame of that entity's keys). A key set of up to BROADCAST_MAX_KEYS (counted here,
    one small Spark job per reference) is broadcast: it is far smaller than the batch's rows, which a
    sort-merge join shuffles and sorts once per reference. A larger one (a long history of orders) is
    joined by shuffle, as a broadcast is held whole in memory."""
    for ref in references:
        keys = known_keys[ref.entity]
        found = keys.select(F.col(ref.key).alias(typed_col(ref.column))).distinct()
        found = found.withColumn(ref.found_col, F.lit(True))
        if found.count() <= BROADCAST_MAX_KEYS:
            found = F.broadcast(found)
        df = df.join(found, on=typed_col(ref.column), how="left")
    return df


def reference_rule(ref: Reference) -> Rule:
    return Rule(
        "referential",
        F.col(typed_col(ref.column)).isNotNull() & F.col(ref.found_col).isNull(),
        F.concat(
            F.lit(f"{ref.column} "),
            F.col(typed_col(ref.column)).cast("string"),
            F.lit(f" is not a {ref.key} of any processed {ref.entity} row"),
        ),
    )


def with_first_failure(df: DataFrame, rules: Sequence[Rule]) -> DataFrame:
    """Adds `failed_rule`: the position in `rules` of the first rule the row fails (null when it passes
    all)."""
    first = F.coalesce(*[F.when(rule.fails, F.lit(position)) for position, rule in enumerate(rules)])
    return df.select("*", first.alias(FAILED_RULE))


def failed_rule_name(rules: Sequence[Rule]) -> Column:
    """The name of the rule at `failed_rule` (null when it is null)."""
    return F.element_at(F.array(*[F.lit(rule.name) for rule in rules]), F.col(FAILED_RULE) + 1)


def failed_rule_reason(rules: Sequence[Rule]) -> Column:
    """The reason of the rule at `failed_rule`, which reads the columns that rule reads (the normalised
    text columns among them)."""
    position = F.col(FAILED_RULE)
    reason = F.when(position == 0, rules[0].reason)
    for index, rule in enumerate(rules[1:], start=1):
        reason = reason.when(position == index, rule.reason)
    return reason
