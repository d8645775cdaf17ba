"""Business validation rules per entity (after the structural ones every entity gets: the row parses,
required values present, values of the right type within the contract's limits, etl.transforms.validate).
Each rule names its column and value in the reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from pyspark.sql import Column
from pyspark.sql import functions as F

from etl.transforms.cast import typed_col
from etl.transforms.validate import Reference, Rule, value_reason

# An acceptable email address: ASCII only (no internationalised addresses), so no homoglyph, zero-width,
# bidirectional or control character gets through. The local part is RFC 5322's dot-atom: letters,
# digits and !#$%&'*+/=?^_`{|}~- in runs joined by single dots; the domain is two or more DNS labels
# (letters, digits, inner hyphens), the last a top-level domain of letters or an IDN's xn-- form. No
# quoted local parts, comments or IP-literal domains. Matched case-insensitively on the text as landed
# (ASCII case only), before normalise.email lower-cases it: Unicode lower-casing maps the Kelvin sign to
# an ASCII k. Written with \x27 for the quote and \z for the very end (`$` allows a final line break),
# so the same pattern works in Java (Spark) and RE2 (DuckDB, bench/duckdb_baseline.py).
_ATEXT = r"[a-z0-9!#$%&\x27*+/=?^_`{|}~-]"
EMAIL = rf"(?i)^{_ATEXT}+(\.{_ATEXT}+)*@([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+([a-z]{{2,63}}|xn--[a-z0-9-]+)\z"
COUNTRY = r"^[A-Z]{2}$"
# Date sanity: nothing before the shop's first possible business day, nothing after the batch's day.
EARLIEST_DATE = dt.date(2000, 1, 1)


def _typed(name: str) -> Column:
    return F.col(typed_col(name))


def pattern(name: str, regex: str, meaning: str) -> Rule:
    return Rule("format", ~_typed(name).rlike(regex), value_reason(name, f"is not {meaning}"))


def email_address(name: str) -> Rule:
    """EMAIL on the landed text (trimmed, as normalisation trims); the reason quotes the normalised one."""
    return Rule(
        "format",
        ~F.trim(F.col(name)).rlike(EMAIL),
        value_reason(name, "is not an email address (ASCII letters, digits and dot-atom punctuation only)"),
    )


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
        email_address("email"),
        pattern("country", COUNTRY, "a two-letter country code"),
        sane_date("signup_date", as_of),
        sane_date("updated_at", as_of),
    ]


def _products(as_of: dt.date) -> list[Rule]:
    return [sane_date("updated_at", as_of)]


def _orders(as_of: dt.date) -> list[Rule]:
    return [
        pattern("shipping_country", COUNTRY, "a two-letter country code"),
        sane_date("order_ts", as_of),
        sane_date("updated_at", as_of),
    ]


def _order_items(as_of: dt.date) -> list[Rule]:
    return [sane_date("updated_at", as_of)]


def _web_events(as_of: dt.date) -> list[Rule]:
    return [sane_date("event_ts", as_of)]


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
