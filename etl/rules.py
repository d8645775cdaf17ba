"""Business validation rules per entity (after the structural ones every entity gets: the row parses,
required values present, values of the right type). Each rule names its column and value in the reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from pyspark.sql import Column
from pyspark.sql import functions as F

from etl.transforms.cast import typed_col
from etl.transforms.validate import Reference, Rule, value_reason

EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
COUNTRY = r"^[A-Z]{2}$"
# Date sanity: nothing before the shop's first possible business day, nothing after the batch's day.
EARLIEST_DATE = dt.date(2000, 1, 1)


def _typed(name: str) -> Column:
    return F.col(typed_col(name))


def one_of(name: str, allowed: tuple[str, ...]) -> Rule:
    return Rule(
        "allowed_values",
        ~_typed(name).isin(*allowed),
        value_reason(name, f"is not one of {', '.join(allowed)}"),
    )


def pattern(name: str, regex: str, meaning: str) -> Rule:
    return Rule("format", ~_typed(name).rlike(regex), value_reason(name, f"is not {meaning}"))


def at_least(name: str, minimum: int, *, strictly: bool = False) -> Rule:
    fails = _typed(name) <= minimum if strictly else _typed(name) < minimum
    bound = f"greater than {minimum}" if strictly else f"at least {minimum}"
    return Rule("range", fails, value_reason(name, f"is not {bound}"))


def sane_date(name: str, as_of: dt.date) -> Rule:
    """Not before EARLIEST_DATE and not after the end of the batch's ingest day (no future dates)."""
    day = F.to_date(_typed(name))
    return Rule(
        "date_sanity",
        (day < F.lit(EARLIEST_DATE)) | (day > F.lit(as_of)),
        value_reason(name, f"is outside {EARLIEST_DATE.isoformat()}..{as_of.isoformat()}"),
    )


@dataclass(frozen=True)
class EntityRules:
    rules: Callable[[dt.date], list[Rule]]
    references: tuple[Reference, ...] = field(default=())


def _customers(as_of: dt.date) -> list[Rule]:
    return [
        pattern("email", EMAIL, "an email address"),
        pattern("country", COUNTRY, "a two-letter country code"),
        one_of("segment", ("consumer", "small_business", "corporate")),
        sane_date("signup_date", as_of),
        sane_date("updated_at", as_of),
    ]


def _products(as_of: dt.date) -> list[Rule]:
    return [at_least("price", 0), at_least("cost", 0), sane_date("updated_at", as_of)]


def _orders(as_of: dt.date) -> list[Rule]:
    return [
        one_of("status", ("placed", "paid", "shipped", "delivered", "cancelled", "returned")),
        one_of("channel", ("web", "mobile_app", "marketplace", "store")),
        one_of("payment_method", ("card", "paypal", "apple_pay", "gift_card", "bank_transfer")),
        pattern("shipping_country", COUNTRY, "a two-letter country code"),
        at_least("discount_amount", 0),
        at_least("shipping_amount", 0),
        sane_date("order_ts", as_of),
        sane_date("updated_at", as_of),
    ]


def _order_items(as_of: dt.date) -> list[Rule]:
    return [
        at_least("line_number", 1),
        at_least("quantity", 0, strictly=True),
        at_least("unit_price", 0),
        at_least("discount_amount", 0),
        sane_date("updated_at", as_of),
    ]


def _web_events(as_of: dt.date) -> list[Rule]:
    return [
        one_of("event_type", ("page_view", "product_view", "add_to_cart", "checkout", "purchase")),
        one_of("device", ("desktop", "mobile", "tablet")),
        sane_date("event_ts", as_of),
    ]


ENTITY_RULES: dict[str, EntityRules] = {
    "customers": EntityRules(_customers),
    "products": EntityRules(_products),
    "orders": EntityRules(_orders, (Reference("customer_id", "customers", "customer_id"),)),
    "order_items": EntityRules(
        _order_items,
        (Reference("order_id", "orders", "order_id"), Reference("product_id", "products", "product_id")),
    ),
    "web_events": EntityRules(
        _web_events,
        (
            Reference("customer_id", "customers", "customer_id"),
            Reference("product_id", "products", "product_id"),
            Reference("order_id", "orders", "order_id"),
        ),
    ),
}


def dependency_levels(entities: tuple[str, ...]) -> list[tuple[str, ...]]:
    """`entities` in levels that can run concurrently: an entity comes after every entity of the run
    whose processed keys its referential rules check against (ENTITY_RULES references)."""
    levels: list[tuple[str, ...]] = []
    placed: set[str] = set()
    while len(placed) < len(entities):
        ready = tuple(
            e
            for e in entities
            if e not in placed
            and all(ref.entity in placed or ref.entity not in entities for ref in ENTITY_RULES[e].references)
        )
        if not ready:
            raise ValueError(f"circular references among {sorted(set(entities) - placed)}")
        levels.append(ready)
        placed.update(ready)
    return levels
