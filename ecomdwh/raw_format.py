"""The structural rules of a raw object, derived from its entity's contract (ecomdwh/contracts.py).

The raw validation Lambda applies them when an object lands and the ETL applies them again when it reads
the batch, both from this module, so the two never disagree about a file:
- size: an empty object (0 bytes) holds no rows and is accepted; so is a CSV holding only its header.
  Either is how a producer says "nothing today" (README, "What producers may send").
- byte order mark: a UTF-8 BOM before the first line (Excel writes one) is not part of it.
- CSV header: comma-separated, contract columns matched by name in any order; extra columns are
  accepted (the ETL drops them); a missing contract column or a column named twice refuses the file,
  naming the column(s) and the fix.
- NDJSON: a first line that holds anything must be a JSON object with every contract key (null when
  unknown): a file that is not this entity's NDJSON is refused whole rather than quarantined line by line.
Everything about single rows (a bad value, a cut or non-UTF-8 line) is the ETL's: it quarantines the row.

Standard library only: the Lambda's zip ships this file (lambdas/raw_validation/package.py)."""

from __future__ import annotations

import csv
import json
from collections import Counter

from ecomdwh.contracts import ENTITIES, EntityContract

BYTE_ORDER_MARK = "\ufeff"
OTHER_DELIMITERS = {";": "semicolon", "\t": "tab", "|": "pipe"}


class RawFormatError(ValueError):
    """An object that breaks a structural rule: `rule` names the rule, the message says why and the fix."""

    def __init__(self, rule: str, reason: str) -> None:
        super().__init__(reason)
        self.rule, self.reason = rule, reason


def without_byte_order_mark(first_line: str) -> str:
    return first_line.removeprefix(BYTE_ORDER_MARK)


def csv_fields(line: str, delimiter: str = ",") -> tuple[str, ...]:
    """The fields of one CSV line (RFC 4180 quoting)."""
    return tuple(next(csv.reader([line], delimiter=delimiter), []))


def csv_header(contract: EntityContract, first_line: str) -> tuple[str, ...]:
    """The column names of a CSV object's first line, in file order, once they hold every contract column
    exactly once; raises RawFormatError (rule `delimiter` or `header`) saying what is wrong and the fix."""
    text = without_byte_order_mark(first_line)
    names = csv_fields(text)
    twice = sorted(name for name, count in Counter(names).items() if count > 1)
    if twice:
        raise RawFormatError(
            "header",
            f"the CSV header names {', '.join(twice)} more than once, so which column holds the value is "
            f"unknown; export the file again with each column once ({', '.join(contract.column_names)})",
        )
    missing = [name for name in contract.column_names if name not in names]
    if missing:
        rule, reason = _why_columns_are_missing(contract, text, names, missing)
        raise RawFormatError(rule, reason)
    return names


def _why_columns_are_missing(
    contract: EntityContract, text: str, names: tuple[str, ...], missing: list[str]
) -> tuple[str, str]:
    """The rule and the reason a header lacks contract columns, as specific as the header allows."""
    for delimiter, name in OTHER_DELIMITERS.items():
        if set(contract.column_names) <= set(csv_fields(text, delimiter)):
            return "delimiter", (
                f"the file is {name}-separated ({delimiter!r}); raw {contract.name} files are comma-separated "
                "CSV: export it again with ',' as the delimiter and land it again"
            )
    for other in ENTITIES.values():
        if other.name != contract.name and other.format == "csv" and set(other.column_names) <= set(names):
            return "header", (
                f"the file holds {other.name} (its header has the {other.name} columns), not {contract.name}; "
                f"land it under {other.name}/ingest_date=YYYY-MM-DD/"
            )
    extra = [name for name in names if name not in contract.column_names]
    unexpected = f"; it has columns the contract lacks: {', '.join(extra)} (renamed?)" if extra else ""
    return "header", (
        f"CSV header lacks the {contract.name} columns {', '.join(missing)}{unexpected}; raw files need a "
        f"comma-separated header with the columns of ecomdwh/contracts.py ({', '.join(contract.column_names)})"
    )


def check_json_first_record(contract: EntityContract, first_line: str) -> None:
    """Raises RawFormatError (rule `json`) unless the first line of an NDJSON object is blank or a JSON object
    holding every contract key."""
    text = without_byte_order_mark(first_line)
    if not text.strip():
        return
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RawFormatError(
            "json", f"the first line is not JSON ({exc.msg}); write one JSON object per line"
        ) from None
    if not isinstance(record, dict):
        raise RawFormatError("json", "the first line is not a JSON object; write one JSON object per line")
    missing = [column for column in contract.column_names if column not in record]
    if missing:
        raise RawFormatError(
            "json",
            f"the first record lacks the {contract.name} contract keys {', '.join(missing)}; "
            "write every contract key (null when unknown)",
        )
