"""Value pools built once with Faker (fixed pool seed), from which rows are drawn by index.

Rows never call Faker: a column is `pool.take(indexes)`. The pools do not depend on the run's
seed, so they are built once per process.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pyarrow as pa
from faker import Faker

POOL_SEED = 20260101
FIRST_NAMES, LAST_NAMES, STREETS, BRANDS = 300, 500, 300, 100
# (country, Faker locale, number of cities, share of customers, phone prefix)
COUNTRIES = (
    ("US", "en_US", 160, 0.85, "+1-"),
    ("CA", "en_CA", 30, 0.08, "+1-"),
    ("GB", "en_GB", 40, 0.07, "+44-"),
)
EMAIL_DOMAINS = ("gmail.com", "yahoo.com", "outlook.com", "icloud.com", "proton.me", "aol.com", "example.net")


@dataclass(frozen=True)
class Pools:
    first_names: pa.Array
    last_names: pa.Array
    first_names_lower: pa.Array
    last_names_lower: pa.Array
    streets: pa.Array
    cities: pa.Array  # one entry per place; state/postal_code/country aligned with it
    states: pa.Array  # null where the country has none
    postal_codes: pa.Array
    place_country: np.ndarray  # country index per place
    country_codes: pa.Array
    country_places: tuple[np.ndarray, ...]  # place indexes per country
    country_share: np.ndarray
    dial_codes: pa.Array  # per country
    email_domains: pa.Array
    brands: pa.Array


def _faker(locale: str) -> Faker:
    fake = Faker(locale)
    fake.seed_instance(POOL_SEED)
    return fake


def _unique(make, count: int) -> list[str]:
    values: dict[str, None] = {}
    for _ in range(count * 2):
        values[make()] = None
        if len(values) == count:
            break
    return list(values)


@cache
def pools() -> Pools:
    us = _faker("en_US")
    first = _unique(us.first_name, FIRST_NAMES)
    last = _unique(us.last_name, LAST_NAMES)
    cities, states, postal_codes, place_country, country_places = [], [], [], [], []
    for country_index, (_, locale, city_count, *_) in enumerate(COUNTRIES):
        fake = _faker(locale)
        start = len(cities)
        for _ in range(city_count):
            cities.append(fake.city())
            states.append(
                fake.state_abbr()
                if locale == "en_US"
                else fake.province_abbr()
                if locale == "en_CA"
                else None
            )
            postal_codes.append(fake.postcode())
            place_country.append(country_index)
        country_places.append(np.arange(start, len(cities)))
    brands = _unique(lambda: us.last_name() + " " + us.company_suffix(), BRANDS)
    return Pools(
        first_names=pa.array(first),
        last_names=pa.array(last),
        first_names_lower=pa.array([name.lower() for name in first]),
        last_names_lower=pa.array([name.lower().replace("'", "") for name in last]),
        streets=pa.array(_unique(us.street_name, STREETS)),
        cities=pa.array(cities),
        states=pa.array(states, pa.string()),
        postal_codes=pa.array(postal_codes),
        place_country=np.array(place_country),
        country_codes=pa.array([code for code, *_ in COUNTRIES]),
        country_places=tuple(country_places),
        country_share=np.array([share for *_, share, _ in COUNTRIES]),
        dial_codes=pa.array([dial for *_, dial in COUNTRIES]),
        email_domains=pa.array(EMAIL_DOMAINS),
        brands=pa.array(brands),
    )
