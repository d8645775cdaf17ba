"""Raw landing contracts: the columns each source entity lands with, shared by datagen and ETL.

Raw files are text (CSV, or NDJSON for web events), so every raw column is a string on arrival; the
`type` names what it must parse to, and ETL casts and validates against it. Column order is the CSV
header order. Keys and partitioning are part of the contract too:
    s3://<raw bucket>/<entity>/ingest_date=YYYY-MM-DD/<entity>-<part>.<ext>

Processed contract (what ETL writes and the warehouse COPYs): for each entity, Parquet files under
    s3://<processed bucket>/<entity>/ingest_date=YYYY-MM-DD/part-*.parquet
holding exactly the contract columns, in contract order, cast to their types
(int -> bigint, decimal(p,s) -> decimal(p,s), date, timestamp, boolean, string), followed by
`ingest_date` (date) as a real column, since Redshift's COPY does not read Hive partition values
from the path. Rejected rows go to s3://<processed bucket>/quarantine/<entity>/ingest_date=.../.

Limits: the contract is the one source of every limit the warehouse enforces, so ETL quarantines a row
that breaks one instead of the load failing on it. A string's `max_bytes` is its warehouse VARCHAR(n),
which Redshift counts in UTF-8 bytes, not characters; an int is a BIGINT unless `maximum` narrows it
(to INT32_MAX where a fact holds it as INTEGER); a decimal(p,s) holds at most p-s digits before the point
and s after it; `minimum`/`maximum` are business bounds; `allowed` lists the only values a column may
hold. A value the warehouse computes from two columns of one row has a `LineProduct` limit.
Dates, timestamps: YYYY-MM-DD and YYYY-MM-DD HH:MM:SS (or a T between), with up to 6 fractional
digits of a second, no time zone (UTC, as datagen writes them).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1
_DECIMAL = re.compile(r"decimal\((\d+),\s*(\d+)\)")
_INGEST_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def ingest_date(text: str) -> dt.date:
    """An ingest date as partitions and job arguments spell it: YYYY-MM-DD and nothing else (Python's
    fromisoformat also takes 20260102 and the ISO week date 2026-W02-1). ValueError otherwise."""
    if not _INGEST_DATE.fullmatch(text):
        raise ValueError(f"{text!r} is not a YYYY-MM-DD date")
    return dt.date.fromisoformat(text)


def decimal_digits(contract_type: str) -> tuple[int, int] | None:
    """(precision, scale) of a `decimal(p,s)` contract type, None for any other type."""
    match = _DECIMAL.fullmatch(contract_type)
    return (int(match.group(1)), int(match.group(2))) if match else None


def decimal_max(contract_type: str) -> Decimal:
    """The largest value a `decimal(p,s)` holds: p-s nines, the point, s nines."""
    digits = decimal_digits(contract_type)
    if digits is None:
        raise ValueError(f"{contract_type!r} is not a decimal(p,s) contract type")
    precision, scale = digits
    return Decimal(10 ** (precision - scale)) - Decimal(1).scaleb(-scale)


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # string | int | decimal(p,s) | date | timestamp | boolean
    required: bool = True
    max_bytes: int | None = None  # string: the warehouse's VARCHAR(n), in UTF-8 bytes
    minimum: int | Decimal | None = None  # int, decimal: smallest allowed value
    maximum: int | Decimal | None = None  # int, decimal: largest allowed value (beyond the type's own)
    allowed: tuple[str, ...] = ()  # string: the only values allowed (empty: any)

    def __post_init__(self) -> None:
        if (self.type == "string") != (self.max_bytes is not None):
            raise ValueError(
                f"column {self.name}: a string, and only a string, needs max_bytes (its VARCHAR)"
            )


@dataclass(frozen=True)
class LineProduct:
    """`left` × `right` of one row, which the warehouse stores in `target` (table.column) of type
    `type`: the product must fit it, or the load that computes it fails."""

    left: str
    right: str
    target: str
    type: str

    @property
    def maximum(self) -> Decimal:
        return decimal_max(self.type)


@dataclass(frozen=True)
class EntityContract:
    name: str
    business_key: tuple[str, ...]
    format: str  # "csv" or "json" (newline-delimited)
    columns: tuple[Column, ...]
    line_products: tuple[LineProduct, ...] = ()

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


CUSTOMERS = EntityContract(
    name="customers",
    business_key=("customer_id",),
    format="csv",
    columns=(
        Column("customer_id", "int"),
        Column("first_name", "string", max_bytes=100),
        Column("last_name", "string", max_bytes=100),
        Column("email", "string", max_bytes=256),
        Column("phone", "string", required=False, max_bytes=40),
        Column("address", "string", required=False, max_bytes=256),
        Column("city", "string", max_bytes=100),
        Column("state", "string", required=False, max_bytes=100),
        Column("postal_code", "string", required=False, max_bytes=20),
        Column("country", "string", max_bytes=100),
        Column("signup_date", "date"),
        Column("segment", "string", max_bytes=32, allowed=("consumer", "small_business", "corporate")),
        Column("updated_at", "timestamp"),
    ),
)

PRODUCTS = EntityContract(
    name="products",
    business_key=("product_id",),
    format="csv",
    columns=(
        Column("product_id", "int"),
        Column("sku", "string", max_bytes=64),
        Column("product_name", "string", max_bytes=256),
        Column("category", "string", max_bytes=100),
        Column("subcategory", "string", max_bytes=100),
        Column("brand", "string", max_bytes=100),
        Column("price", "decimal(12,2)", minimum=0),
        Column("cost", "decimal(12,2)", minimum=0),
        Column("is_active", "boolean"),
        Column("updated_at", "timestamp"),
    ),
)

ORDERS = EntityContract(
    name="orders",
    business_key=("order_id",),
    format="csv",
    columns=(
        Column("order_id", "int"),
        Column("customer_id", "int"),
        Column("order_ts", "timestamp"),
        Column(
            "status",
            "string",
            max_bytes=16,
            allowed=("placed", "paid", "shipped", "delivered", "cancelled", "returned"),
        ),
        Column("channel", "string", max_bytes=32, allowed=("web", "mobile_app", "marketplace", "store")),
        Column(
            "payment_method",
            "string",
            max_bytes=32,
            allowed=("card", "paypal", "apple_pay", "gift_card", "bank_transfer"),
        ),
        Column("shipping_address", "string", required=False, max_bytes=256),
        Column("shipping_city", "string", required=False, max_bytes=100),
        Column("shipping_state", "string", required=False, max_bytes=100),
        Column("shipping_postal_code", "string", required=False, max_bytes=20),
        Column("shipping_country", "string", max_bytes=100),
        Column("discount_amount", "decimal(12,2)", minimum=0),
        Column("shipping_amount", "decimal(12,2)", minimum=0),
        Column("updated_at", "timestamp"),
    ),
)

ORDER_ITEMS = EntityContract(
    name="order_items",
    business_key=("order_id", "line_number"),
    format="csv",
    columns=(
        Column("order_item_id", "int"),
        Column("order_id", "int"),
        Column("line_number", "int", minimum=1, maximum=INT32_MAX),
        Column("product_id", "int"),
        Column("quantity", "int", minimum=1, maximum=INT32_MAX),
        Column("unit_price", "decimal(12,2)", minimum=0),
        Column("discount_amount", "decimal(12,2)", minimum=0),
        Column("updated_at", "timestamp"),
    ),
    # A line's gross amount; its net amount (gross - discount_amount, both at least 0) then fits too.
    line_products=(LineProduct("quantity", "unit_price", "fct_order_items.gross_amount", "decimal(14,2)"),),
)

WEB_EVENTS = EntityContract(
    name="web_events",
    business_key=("event_id",),
    format="json",
    columns=(
        Column("event_id", "string", max_bytes=64),
        Column("session_id", "string", max_bytes=64),
        Column("customer_id", "int", required=False),  # null for anonymous visitors
        Column("anonymous_id", "string", max_bytes=64),
        Column(
            "event_type",
            "string",
            max_bytes=32,
            allowed=("page_view", "product_view", "add_to_cart", "checkout", "purchase"),
        ),
        Column("event_ts", "timestamp"),
        Column("product_id", "int", required=False),
        Column("order_id", "int", required=False),  # set on purchase events
        Column("page_url", "string", max_bytes=1024),
        Column("device", "string", max_bytes=16, allowed=("desktop", "mobile", "tablet")),
        Column("referrer", "string", required=False, max_bytes=1024),
    ),
)

ENTITIES: dict[str, EntityContract] = {
    c.name: c for c in (CUSTOMERS, PRODUCTS, ORDERS, ORDER_ITEMS, WEB_EVENTS)
}
