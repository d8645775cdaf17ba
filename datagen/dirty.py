"""Dirty rows on request, and the ground truth of what was injected.

Dirty rows are added next to the clean rows, never instead of them, so clean data stays whole
and referentially intact. Every dirty row except exact duplicates carries a fresh business key
that never exists anywhere (ids from DIRTY_ID_BASE up), so ETL can detect each kind by a rule:
- quarantine: malformed_line, wrong_type, null_required, negative_quantity, orphan_fk,
  future_date, bad_email, non_utf8
- dedupe: duplicate_id (an exact copy of a clean row: keep one, quarantine none)
Each record of the ground truth names the rule its row must land under (RULES).
- accept: extra_column (clean rows in a file with one unexpected trailing column; drop the column)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
import pyarrow as pa

from datagen.encode import csv_bytes, csv_line, json_line, ndjson_bytes
from datagen.random import stream
from ecomdwh.contracts import ENTITIES

DIRTY_ID_BASE = 10**12
ORPHAN_ID = DIRTY_ID_BASE - 1  # the one foreign key value that never exists
DIRTY_LINE_BASE = 100  # dirty order items use line numbers from here; clean orders have <= 9 lines
FUTURE_DAYS = 400
EXTRA_COLUMN = "promo_code"
ACTIONS = {
    "duplicate_id": "dedupe",
    "extra_column": "accept",
}
# The ETL rule (etl/rules.py, etl/transforms/validate.py, dedupe) each kind must land under: one rule per
# kind, so a row caught by another rule than intended shows.
RULES = {
    "malformed_line": "malformed_row",
    "wrong_type": "type",
    "null_required": "required",
    "negative_quantity": "range",
    "orphan_fk": "referential",
    "future_date": "date_sanity",
    "bad_email": "format",
    "non_utf8": "encoding",
    "duplicate_id": "duplicate",
}
# entity -> kind -> (column, bad value); callables get the template row and the ingest date.
MUTATIONS = {
    "customers": {
        "wrong_type": ("signup_date", "not-a-date"),
        "null_required": ("email", None),
        "bad_email": ("email", lambda row, _: row["email"].replace("@", ".at.")),
        "future_date": ("signup_date", lambda _, today: today + timedelta(days=FUTURE_DAYS)),
        "non_utf8": ("first_name", "Renée"),
    },
    "products": {
        "wrong_type": ("price", "N/A"),
        "null_required": ("category", None),
        "non_utf8": ("product_name", "Crème Brûlée Set"),
    },
    "orders": {
        "wrong_type": ("discount_amount", "ten"),
        "null_required": ("status", None),
        "orphan_fk": ("customer_id", ORPHAN_ID),
        "future_date": (
            "order_ts",
            lambda _, today: datetime.combine(today + timedelta(days=FUTURE_DAYS), datetime.min.time()),
        ),
        "non_utf8": ("shipping_city", "Montréal"),
    },
    "order_items": {
        "wrong_type": ("quantity", "two"),
        "null_required": ("product_id", None),
        "negative_quantity": ("quantity", -2),
        "orphan_fk": ("product_id", ORPHAN_ID),
    },
    "web_events": {
        "wrong_type": ("customer_id", "abc"),
        "null_required": ("event_type", None),
        "orphan_fk": ("product_id", ORPHAN_ID),
        "future_date": (
            "event_ts",
            lambda _, today: datetime.combine(today + timedelta(days=FUTURE_DAYS), datetime.min.time()),
        ),
        "non_utf8": ("page_url", "/p/café"),
    },
}
LINE_KINDS = ("duplicate_id", "malformed_line")  # malformed lines go last: nothing follows a broken line


@dataclass
class DirtyRows:
    """What one entity's batch gets on top of its clean rows."""

    lines: list[bytes] = field(default_factory=list)  # appended to the entity's first file
    line_records: list[dict] = field(default_factory=list)  # ground truth per appended line
    extra_column_rows: int = 0  # last clean rows, moved to their own file with an extra column


def kinds(entity: str) -> list[str]:
    return [*MUTATIONS[entity], *LINE_KINDS, "extra_column"]


def rows_per_kind(entity: str, clean_rows: int, rate: float) -> int:
    if rate <= 0 or clean_rows == 0:
        return 0
    return max(1, round(rate * clean_rows / len(kinds(entity))))


def _encode(entity: str, row: dict) -> bytes:
    if ENTITIES[entity].format == "json":
        return json_line(row)
    return csv_line(list(row.values()))


def _truncated(entity: str, row: dict) -> bytes:
    """Half a record: CSV cut at a field boundary (no open quote), JSON cut mid-object."""
    if ENTITIES[entity].format == "json":
        return json_line(row)[: len(json_line(row)) // 2] + b"\n"
    return csv_line(list(row.values())[: len(row) // 2])


def _non_utf8(line: bytes) -> bytes:
    return line.replace("é".encode(), "é".encode("latin-1"))


def _fresh_key(entity: str, serial: int, day: int) -> dict:
    fresh = DIRTY_ID_BASE + day * 1_000_000 + serial
    if entity == "web_events":
        return {"event_id": f"x{day}-{serial}"}
    if entity == "order_items":
        return {"order_item_id": fresh, "line_number": DIRTY_LINE_BASE + serial}
    return {ENTITIES[entity].business_key[0]: fresh}


def _duplicates(entity: str, templates: pa.Table) -> tuple[list[bytes], list[dict]]:
    """Exact copies, encoded by the same writer as the clean rows, so the bytes match too."""
    data = csv_bytes(templates, header=False) if ENTITIES[entity].format == "csv" else ndjson_bytes(templates)
    return data.splitlines(keepends=True), templates.select(list(ENTITIES[entity].business_key)).to_pylist()


def _mutated(entity: str, kind: str, row: dict, today: date) -> bytes:
    if kind == "malformed_line":
        return _truncated(entity, row)
    column, bad = MUTATIONS[entity][kind]
    row[column] = bad(row, today) if callable(bad) else bad
    line = _encode(entity, row)
    return _non_utf8(line) if kind == "non_utf8" else line


def inject(entity: str, table: pa.Table, rate: float, seed: int, day: int, today: date) -> DirtyRows:
    per_kind = rows_per_kind(entity, table.num_rows, rate)
    dirty = DirtyRows()
    if per_kind == 0:
        return dirty
    rng = stream(seed, "dirty", day, entity)
    serial = 0
    for kind in [*MUTATIONS[entity], *LINE_KINDS]:
        templates = table.take(np.sort(rng.integers(0, table.num_rows, per_kind)))
        column = MUTATIONS[entity].get(kind, (None,))[0]
        if kind == "duplicate_id":
            lines, keys = _duplicates(entity, templates)
        else:
            lines, keys = [], []
            for row in templates.to_pylist():
                serial += 1
                row.update(_fresh_key(entity, serial, day))
                keys.append({name: row[name] for name in ENTITIES[entity].business_key})
                lines.append(_mutated(entity, kind, row, today))
        dirty.lines += lines
        dirty.line_records += [
            {"kind": kind, "action": ACTIONS.get(kind, "quarantine"), "rule": RULES[kind], "key": key}
            | ({"column": column} if column else {})
            for key in keys
        ]
    dirty.extra_column_rows = min(per_kind, table.num_rows)
    return dirty


def with_extra_column(table: pa.Table) -> pa.Table:
    return table.append_column(EXTRA_COLUMN, pa.array(["WELCOME10"] * table.num_rows))
