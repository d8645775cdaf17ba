"""Random raw rows per entity for the contract's property tests (hypothesis), the files they land in, and
the oracle: what an accepted row must satisfy, worked out from ecomdwh.contracts in plain Python.

A row is a valid one (VALID) with a few columns replaced by anything a producer might send: any text
(multi-byte, control characters, text just over or under its VARCHAR's bytes), numbers (huge, negative,
with too many decimals, NaN-like words), dates and timestamps in and out of the contract's formats,
nothing at all. Business keys come from a small range, so some rows are duplicates of others."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from hypothesis import strategies as st

from ecomdwh.contracts import ENTITIES, INT64_MAX, Column, EntityContract, decimal_digits

# Valid rows: they reference each other (customer 1, product 7, order 100) and are dated before the
# earliest ingest date the tests use.
VALID = {
    "customers": {
        "customer_id": "1", "first_name": "Ada", "last_name": "Lovelace", "email": "ada.lovelace1@gmail.com",
        "phone": "+1-212-555-0101", "address": "1 Main St", "city": "Springfield", "state": "IL",
        "postal_code": "62701", "country": "US", "signup_date": "2024-05-01", "segment": "consumer",
        "updated_at": "2025-12-30 10:00:00",
    },
    "products": {
        "product_id": "7", "sku": "SKU-7", "product_name": "Headphones", "category": "Electronics",
        "subcategory": "Audio", "brand": "Acme", "price": "99.90", "cost": "40.00", "is_active": "true",
        "updated_at": "2025-12-30 10:00:00",
    },
    "orders": {
        "order_id": "100", "customer_id": "1", "order_ts": "2025-12-31 09:30:00", "status": "paid",
        "channel": "web", "payment_method": "card", "shipping_address": "1 Main St",
        "shipping_city": "Springfield", "shipping_state": "IL", "shipping_postal_code": "62701",
        "shipping_country": "US", "discount_amount": "0.00", "shipping_amount": "4.99",
        "updated_at": "2025-12-31 09:30:00",
    },
    "order_items": {
        "order_item_id": "1000", "order_id": "100", "line_number": "1", "product_id": "7", "quantity": "2",
        "unit_price": "99.90", "discount_amount": "0.00", "updated_at": "2025-12-31 09:30:00",
    },
    "web_events": {
        "event_id": "e-1", "session_id": "s-1", "customer_id": "1", "anonymous_id": "a-1",
        "event_type": "purchase", "event_ts": "2025-12-31 09:29:00", "product_id": "7", "order_id": "100",
        "page_url": "/checkout", "device": "mobile", "referrer": None,
    },
}  # fmt: skip

WIDE_CHARACTERS = ("a", "é", "€", "𝄞", "\u200b", "\x07")  # 1, 2, 3, 4, 3 and 1 UTF-8 bytes
NUMBER_WORDS = ("NaN", "nan", "Infinity", "-Infinity", "1e3", "1E+2", "0x1F", "", " ", "--1", "1_000", "١٢")
EDGE_INTEGERS = (0, 1, -1, 2**31 - 1, 2**31, -(2**31) - 1, INT64_MAX, INT64_MAX + 1, -(2**63), -(2**63) - 1)
TIME_WORDS = ("2025", "2025-12", "2025-12-31T10:00:00Z", "2025-12-31 10:00:00+02:00", "20251231", "yesterday")
TIME_WORDS += ("2025-02-30 10:00:00", "2025-12-31 24:00:00", "2025-12-31", "1767173400", "2025-W52-1")


def any_text(*, exclude: str = "") -> st.SearchStrategy[str]:
    """Any Unicode text (no surrogates: they are not UTF-8), control characters included."""
    return st.text(st.characters(codec="utf-8", exclude_characters=exclude), max_size=12)


def text_near(max_bytes: int) -> st.SearchStrategy[str]:
    """A run of one character whose UTF-8 length is just under, at or over `max_bytes`."""
    return st.builds(
        lambda char, extra: char * max(1, (max_bytes + extra) // len(char.encode())),
        st.sampled_from(WIDE_CHARACTERS),
        st.integers(-4, 4),
    )


def _string_value(column: Column, exclude: str) -> st.SearchStrategy[str]:
    options = [any_text(exclude=exclude), text_near(column.max_bytes)]
    if column.allowed:
        options.append(st.sampled_from([*column.allowed, *[v.upper() for v in column.allowed]]))
    return st.one_of(options)


def _int_value() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(-(2**70), 2**70).map(str),
        st.sampled_from(EDGE_INTEGERS).map(str),
        st.sampled_from(NUMBER_WORDS),
        st.decimals(allow_nan=False, allow_infinity=False, places=1).map(str),
    )


def _decimal_value(contract_type: str) -> st.SearchStrategy[str]:
    precision, scale = decimal_digits(contract_type)
    edge = Decimal(10 ** (precision - scale))
    return st.one_of(
        st.decimals(-edge * 10, edge * 10, allow_nan=False, places=scale).map(str),
        st.decimals(-edge, edge, allow_nan=False, places=scale + 2).map(str),
        st.sampled_from([str(edge - Decimal("0.01")), str(edge), "-0.00", "0.001", ".5", "5."]),
        st.sampled_from(NUMBER_WORDS),
    )


def _date_value() -> st.SearchStrategy[str]:
    return st.one_of(st.dates().map(dt.date.isoformat), st.sampled_from(TIME_WORDS))


def _timestamp_value() -> st.SearchStrategy[str]:
    return st.one_of(
        st.datetimes().map(lambda t: t.isoformat(sep=" ")),
        st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2026, 1, 1)).map(lambda t: t.isoformat(sep="T")),
        st.sampled_from(TIME_WORDS),
    )


def value(column: Column, *, exclude: str = "") -> st.SearchStrategy[str | None]:
    """Anything a producer might send in `column` (text it may not contain left out by `exclude`)."""
    if column.type == "string":
        typed = _string_value(column, exclude)
    elif column.type == "int":
        typed = _int_value()
    elif column.type.startswith("decimal"):
        typed = _decimal_value(column.type)
    elif column.type == "date":
        typed = _date_value()
    elif column.type == "timestamp":
        typed = _timestamp_value()
    else:
        typed = st.sampled_from(["true", "FALSE", "yes", "0", "maybe", "2"])
    return st.one_of(typed, st.none() | any_text(exclude=exclude))  # half of the values typed-like


@st.composite
def raw_row(draw: st.DrawFn, entity: str, *, exclude: str = "") -> dict[str, str | None]:
    """VALID[entity] with a business key from 1..5 and 1 to 3 columns replaced by anything."""
    contract = ENTITIES[entity]
    row = dict(VALID[entity])
    key = contract.business_key[-1]
    row[key] = f"e-{draw(st.integers(1, 5))}" if entity == "web_events" else str(draw(st.integers(1, 5)))
    if entity == "order_items":  # one order_item_id per line
        row["order_item_id"] = str(1000 + int(row["line_number"]))
    changed = draw(
        st.lists(st.sampled_from(contract.columns), min_size=1, max_size=3, unique_by=lambda c: c.name)
    )
    for column in changed:
        row[column.name] = draw(value(column, exclude=exclude))
    return row


# The CSV entities' text leaves out what RFC 4180 quoting and line breaks need (the CSV parser's cases,
# tests/integration/test_bad_input_corpus.py): these tests are about the values' limits.
CSV_UNSAFE = '"\r\n'


def rows_for(entity: str, *, min_size: int = 1, max_size: int = 20) -> st.SearchStrategy[list[dict]]:
    exclude = CSV_UNSAFE if ENTITIES[entity].format == "csv" else ""
    return st.lists(raw_row(entity, exclude=exclude), min_size=min_size, max_size=max_size)


def file_bytes(contract: EntityContract, rows: list[dict[str, str | None]]) -> bytes:
    """The rows as the entity lands: CSV with a header, every value quoted (none left empty), or NDJSON."""
    if contract.format == "json":
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode()
    lines = [",".join(contract.column_names)]
    lines += [
        ",".join("" if row[c] is None else f'"{row[c]}"' for c in contract.column_names) for row in rows
    ]
    return "".join(line + "\n" for line in lines).encode()


def limits_broken(contract: EntityContract, row: dict) -> list[str]:
    """The contract limits a typed (accepted) row breaks, as plain Python sees them."""
    broken = []
    for column in contract.columns:
        held = row[column.name]
        if held is None:
            broken += [f"{column.name} is required"] if column.required else []
            continue
        if column.type == "string":
            if len(held.encode()) > column.max_bytes:
                broken.append(f"{column.name} is {len(held.encode())} bytes > {column.max_bytes}")
            if column.allowed and held not in column.allowed:
                broken.append(f"{column.name} {held!r} not allowed")
        if column.type == "int" and not -(2**63) <= held <= INT64_MAX:
            broken.append(f"{column.name} {held} is no BIGINT")
        if digits := decimal_digits(column.type):
            precision, scale = digits
            if abs(held) >= 10 ** (precision - scale) or held.as_tuple().exponent < -scale:
                broken.append(f"{column.name} {held} is no {column.type}")
        if column.minimum is not None and held < column.minimum:
            broken.append(f"{column.name} {held} < {column.minimum}")
        if column.maximum is not None and held > column.maximum:
            broken.append(f"{column.name} {held} > {column.maximum}")
    for product in contract.line_products:
        if abs(row[product.left] * row[product.right]) > product.maximum:
            broken.append(f"{product.left} * {product.right} overflows {product.target}")
    return broken
