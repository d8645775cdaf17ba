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
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # string | int | decimal(p,s) | date | timestamp | boolean
    required: bool = True


@dataclass(frozen=True)
class EntityContract:
    name: str
    business_key: tuple[str, ...]
    format: str  # "csv" or "json" (newline-delimited)
    columns: tuple[Column, ...]

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
        Column("first_name", "string"),
        Column("last_name", "string"),
        Column("email", "string"),
        Column("phone", "string", required=False),
        Column("address", "string", required=False),
        Column("city", "string"),
        Column("state", "string", required=False),
        Column("postal_code", "string", required=False),
        Column("country", "string"),
        Column("signup_date", "date"),
        Column("segment", "string"),  # consumer | small_business | corporate
        Column("updated_at", "timestamp"),
    ),
)

PRODUCTS = EntityContract(
    name="products",
    business_key=("product_id",),
    format="csv",
    columns=(
        Column("product_id", "int"),
        Column("sku", "string"),
        Column("product_name", "string"),
        Column("category", "string"),
        Column("subcategory", "string"),
        Column("brand", "string"),
        Column("price", "decimal(12,2)"),
        Column("cost", "decimal(12,2)"),
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
        Column("status", "string"),  # placed | paid | shipped | delivered | cancelled | returned
        Column("channel", "string"),  # web | mobile_app | marketplace | store
        Column("payment_method", "string"),  # card | paypal | apple_pay | gift_card | bank_transfer
        Column("shipping_address", "string", required=False),
        Column("shipping_city", "string", required=False),
        Column("shipping_state", "string", required=False),
        Column("shipping_postal_code", "string", required=False),
        Column("shipping_country", "string"),
        Column("discount_amount", "decimal(12,2)"),
        Column("shipping_amount", "decimal(12,2)"),
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
        Column("line_number", "int"),
        Column("product_id", "int"),
        Column("quantity", "int"),
        Column("unit_price", "decimal(12,2)"),
        Column("discount_amount", "decimal(12,2)"),
        Column("updated_at", "timestamp"),
    ),
)

WEB_EVENTS = EntityContract(
    name="web_events",
    business_key=("event_id",),
    format="json",
    columns=(
        Column("event_id", "string"),
        Column("session_id", "string"),
        Column("customer_id", "int", required=False),  # null for anonymous visitors
        Column("anonymous_id", "string"),
        Column("event_type", "string"),  # page_view | product_view | add_to_cart | checkout | purchase
        Column("event_ts", "timestamp"),
        Column("product_id", "int", required=False),
        Column("order_id", "int", required=False),  # set on purchase events
        Column("page_url", "string"),
        Column("device", "string"),  # desktop | mobile | tablet
        Column("referrer", "string", required=False),
    ),
)

ENTITIES: dict[str, EntityContract] = {
    c.name: c for c in (CUSTOMERS, PRODUCTS, ORDERS, ORDER_ITEMS, WEB_EVENTS)
}
