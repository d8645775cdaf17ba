"""The scale formula and the calendar: how many rows of what, on which business date.

Every count here is a pure function of `scale` and the day, documented in datagen/README.md.
Business dates are numbered: index k is the date 2025-12-31 + k days. Day 0 (ingest 2026-01-01)
holds the history k = -364..0; day N >= 1 holds business date k = N.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np

DAY0_INGEST_DATE = date(2026, 1, 1)
LAST_HISTORY_DATE = date(2025, 12, 31)
HISTORY_DAYS = 365
FIRST_SIGNUP_DATE = date(2023, 1, 1)

SEED_CUSTOMERS, SEED_PRODUCTS, SEED_ORDERS = 1000, 500, 5000
MIN_PRODUCTS = 20
EVENTS_PER_ORDER = 5
NEW_CUSTOMERS_PER_DAY = 0.002  # of the initial customers
CUSTOMER_MOVES_PER_DAY = 0.002
EMAIL_CHANGES_PER_DAY = 0.001
PRICE_CHANGES_PER_DAY = 0.01  # of the products
CATEGORY_CHANGES_PER_DAY = 0.002

# Seasonality: month factors (holiday peak) times weekday factors (Mon..Sun), plus named spike days.
MONTH_FACTOR = (0.85, 0.8, 0.9, 0.9, 0.95, 0.95, 1.05, 0.95, 0.95, 1.0, 1.3, 1.45)
WEEKDAY_FACTOR = (1.1, 1.0, 0.97, 0.97, 0.95, 0.9, 1.11)
SPIKE_DAYS = {(11, 28): 2.5, (12, 1): 2.0}  # Black Friday and Cyber Monday 2025


def ingest_date(day: int) -> date:
    return DAY0_INGEST_DATE + timedelta(days=day)


def business_date(index: int) -> date:
    return LAST_HISTORY_DATE + timedelta(days=index)


def business_indexes(day: int) -> range:
    """The business date indexes whose new orders and events a day's batch carries."""
    return range(1 - HISTORY_DAYS, 1) if day == 0 else range(day, day + 1)


def initial_customers(scale: float) -> int:
    return max(1, round(SEED_CUSTOMERS * scale))


def products(scale: float) -> int:
    return max(MIN_PRODUCTS, round(SEED_PRODUCTS * math.sqrt(scale)))


def initial_orders(scale: float) -> int:
    return max(1, round(SEED_ORDERS * scale))


def per_day(scale_base: int, rate: float) -> int:
    return math.ceil(scale_base * rate)


def customers_at(scale: float, day: int) -> int:
    """Customers that exist once day `day` is loaded (ids are 1..this number)."""
    return initial_customers(scale) + max(day, 0) * per_day(initial_customers(scale), NEW_CUSTOMERS_PER_DAY)


def date_weight(indexes: np.ndarray) -> np.ndarray:
    weights = np.empty(len(indexes))
    for i, index in enumerate(indexes):
        d = business_date(int(index))
        weights[i] = (
            MONTH_FACTOR[d.month - 1] * WEEKDAY_FACTOR[d.weekday()] * SPIKE_DAYS.get((d.month, d.day), 1)
        )
    return weights


def _history_weight_total() -> float:
    return float(date_weight(np.arange(1 - HISTORY_DAYS, 1)).sum())


def orders_per_date(scale: float, last_index: int) -> tuple[np.ndarray, np.ndarray]:
    """(indexes, order counts) for business dates 1-HISTORY_DAYS .. last_index.

    History counts are apportioned so they sum to exactly initial_orders(scale) (largest remainder);
    a later date gets round(initial_orders * its weight / total history weight)."""
    total = initial_orders(scale)
    indexes = np.arange(1 - HISTORY_DAYS, max(last_index, 0) + 1)
    shares = total * date_weight(indexes) / _history_weight_total()
    history = shares[:HISTORY_DAYS]
    counts = np.floor(history).astype(np.int64)
    remainder_order = np.argsort(-(history - counts), kind="stable")
    counts[remainder_order[: total - counts.sum()]] += 1
    later = np.rint(shares[HISTORY_DAYS:]).astype(np.int64)
    return indexes, np.concatenate([counts, later])[: len(indexes)]


def order_id_ranges(scale: float, last_index: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(indexes, first order id, count) per business date; order ids run 1.. in date order."""
    indexes, counts = orders_per_date(scale, last_index)
    first_ids = 1 + np.concatenate([[0], np.cumsum(counts)[:-1]])
    return indexes, first_ids, counts
