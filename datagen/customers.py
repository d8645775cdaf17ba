"""Customers: the initial base, new sign-ups per day, and per-day moves and email changes.

`customer_state(seed, scale, day)` replays the small per-day change sets 1..day on top of the
day-0 base, so any day is generatable on its own; the replay costs a few array ops per day.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datagen import volumes
from datagen.columns import concat, dates, epoch_day, text, timestamps, with_nulls
from datagen.pools import pools
from datagen.random import pick, stream
from ecomdwh.contracts import CUSTOMERS

SEGMENTS = pa.array(["consumer", "small_business", "corporate"])
SEGMENT_SHARE = (0.8, 0.15, 0.05)
PHONE_MISSING = 0.12
SECONDS_PER_DAY = 86_400


@dataclass
class Move:
    ids: np.ndarray
    old_place: np.ndarray
    old_street: np.ndarray
    old_house: np.ndarray


@dataclass
class CustomerState:
    """Current attributes of every customer, indexed by customer_id - 1."""

    first: np.ndarray
    last: np.ndarray
    place: np.ndarray
    street: np.ndarray
    house: np.ndarray
    domain: np.ndarray
    phone: np.ndarray  # 10 digits, -1 for missing
    segment: np.ndarray
    signup_day: np.ndarray  # epoch days, non-decreasing with id
    updated_at: np.ndarray  # epoch seconds
    moves: dict[int, Move] = field(default_factory=dict)  # day -> who moved from where
    email_changes: dict[int, np.ndarray] = field(default_factory=dict)  # day -> ids

    @property
    def count(self) -> int:
        return len(self.first)

    @classmethod
    def concatenate(cls, parts: list[CustomerState]) -> CustomerState:
        names = (
            "first",
            "last",
            "place",
            "street",
            "house",
            "domain",
            "phone",
            "segment",
            "signup_day",
            "updated_at",
        )
        return cls(**{name: np.concatenate([getattr(part, name) for part in parts]) for name in names})

    def places_as_of(self, ids: np.ndarray, day: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(place, street, house) of `ids` as they were once day `day` was loaded (undoes later moves)."""
        place, street, house = (
            self.place[ids - 1].copy(),
            self.street[ids - 1].copy(),
            self.house[ids - 1].copy(),
        )
        for move_day in sorted((d for d in self.moves if d > day), reverse=True):
            move = self.moves[move_day]
            position = np.searchsorted(move.ids, ids)
            hit = (position < len(move.ids)) & (move.ids[np.minimum(position, len(move.ids) - 1)] == ids)
            place[hit] = move.old_place[position[hit]]
            street[hit] = move.old_street[position[hit]]
            house[hit] = move.old_house[position[hit]]
        return place, street, house


def _draw_places(rng: np.random.Generator, count: int) -> np.ndarray:
    p = pools()
    country = pick(p.country_share, rng.random(count))
    place = np.empty(count, dtype=np.int64)
    for index, places in enumerate(p.country_places):
        mask = country == index
        place[mask] = places[rng.integers(0, len(places), mask.sum())]
    return place


def _new_customers(rng: np.random.Generator, signup_day: np.ndarray) -> CustomerState:
    p = pools()
    count = len(signup_day)
    phone = rng.integers(2_000_000_000, 9_999_999_999, count)
    phone[rng.random(count) < PHONE_MISSING] = -1
    return CustomerState(
        first=rng.integers(0, len(p.first_names), count),
        last=rng.integers(0, len(p.last_names), count),
        place=_draw_places(rng, count),
        street=rng.integers(0, len(p.streets), count),
        house=rng.integers(1, 9_999, count),
        domain=rng.integers(0, len(p.email_domains), count),
        phone=phone,
        segment=pick(SEGMENT_SHARE, rng.random(count)),
        signup_day=signup_day,
        updated_at=signup_day * SECONDS_PER_DAY + rng.integers(6 * 3600, SECONDS_PER_DAY, count),
    )


def _initial(seed: int, scale: float) -> CustomerState:
    rng = stream(seed, "customers", 0)
    count = volumes.initial_customers(scale)
    first, last = epoch_day(volumes.FIRST_SIGNUP_DATE), epoch_day(volumes.LAST_HISTORY_DATE)
    # Sign-ups grow over time (sqrt skews towards recent); sorted so ids follow sign-up order.
    signup = first + np.floor((last - first + 1) * np.sqrt(np.sort(rng.random(count)))).astype(np.int64)
    signup[0] = first
    return _new_customers(rng, signup)


def _apply_changes(state: CustomerState, seed: int, scale: float, day: int) -> None:
    """Moves and email changes of day `day`, among the customers who existed the day before."""
    rng = stream(seed, "customer-changes", day)
    base = volumes.initial_customers(scale)
    moves = volumes.per_day(base, volumes.CUSTOMER_MOVES_PER_DAY)
    emails = volumes.per_day(base, volumes.EMAIL_CHANGES_PER_DAY)
    existing = volumes.customers_at(scale, day - 1)
    chosen = rng.choice(existing, min(moves + emails, existing), replace=False) + 1
    moved, re_emailed = np.sort(chosen[:moves]), np.sort(chosen[moves:])
    changed_at = epoch_day(volumes.business_date(day)) * SECONDS_PER_DAY
    p = pools()
    if len(moved):
        state.moves[day] = Move(
            moved, state.place[moved - 1], state.street[moved - 1], state.house[moved - 1]
        )
        country = p.place_country[state.place[moved - 1]]
        new_place = np.empty(len(moved), dtype=np.int64)
        for index, places in enumerate(p.country_places):  # a move stays within the country
            mask = country == index
            new_place[mask] = places[rng.integers(0, len(places), mask.sum())]
        same = new_place == state.place[moved - 1]
        new_place[same] = np.array([_next_place(place) for place in new_place[same]], dtype=np.int64)
        state.place[moved - 1] = new_place
        state.street[moved - 1] = rng.integers(0, len(p.streets), len(moved))
        state.house[moved - 1] = rng.integers(1, 9_999, len(moved))
        state.updated_at[moved - 1] = changed_at + rng.integers(3600, SECONDS_PER_DAY, len(moved))
    if len(re_emailed):
        state.email_changes[day] = re_emailed
        state.domain[re_emailed - 1] = (
            state.domain[re_emailed - 1] + rng.integers(1, len(p.email_domains), len(re_emailed))
        ) % len(p.email_domains)
        state.updated_at[re_emailed - 1] = changed_at + rng.integers(3600, SECONDS_PER_DAY, len(re_emailed))


def _next_place(place: int) -> int:
    p = pools()
    places = p.country_places[p.place_country[place]]
    return int(places[(np.searchsorted(places, place) + 1) % len(places)])


def customer_state(seed: int, scale: float, day: int) -> CustomerState:
    new_per_day = volumes.per_day(volumes.initial_customers(scale), volumes.NEW_CUSTOMERS_PER_DAY)
    sign_ups = [
        _new_customers(
            stream(seed, "customers", n), np.full(new_per_day, epoch_day(volumes.business_date(n)))
        )
        for n in range(1, day + 1)
    ]
    # New customers never depend on earlier changes, so all of them are drawn first, joined once.
    state = CustomerState.concatenate([_initial(seed, scale), *sign_ups])
    for n in range(1, day + 1):
        _apply_changes(state, seed, scale, n)
    return state


def address_columns(place: np.ndarray, street: np.ndarray, house: np.ndarray) -> dict[str, pa.Array]:
    p = pools()
    return {
        "address": concat(text(house), " ", p.streets.take(street)),
        "city": p.cities.take(place),
        "state": p.states.take(place),
        "postal_code": p.postal_codes.take(place),
        "country": p.country_codes.take(p.place_country[place]),
    }


def customers_table(state: CustomerState, ids: np.ndarray) -> pa.Table:
    p = pools()
    rows = ids - 1
    phone = state.phone[rows]
    digits = text(np.maximum(phone, 0))
    phone_text = concat(
        p.dial_codes.take(p.place_country[state.place[rows]]),
        pc.utf8_slice_codeunits(digits, 0, 3),
        "-",
        pc.utf8_slice_codeunits(digits, 3, 6),
        "-",
        pc.utf8_slice_codeunits(digits, 6, 10),
    )
    columns = {
        "customer_id": pa.array(ids, pa.int64()),
        "first_name": p.first_names.take(state.first[rows]),
        "last_name": p.last_names.take(state.last[rows]),
        "email": concat(
            p.first_names_lower.take(state.first[rows]),
            ".",
            p.last_names_lower.take(state.last[rows]),
            text(ids),
            "@",
            p.email_domains.take(state.domain[rows]),
        ),
        "phone": with_nulls(phone_text, phone < 0),
        **address_columns(state.place[rows], state.street[rows], state.house[rows]),
        "signup_date": dates(state.signup_day[rows]),
        "segment": SEGMENTS.take(state.segment[rows]),
        "updated_at": timestamps(state.updated_at[rows]),
    }
    return pa.table({name: columns[name] for name in CUSTOMERS.column_names})


def changed_customer_ids(state: CustomerState, scale: float, day: int) -> np.ndarray:
    """Customers a day's batch carries: everyone on day 0; new and changed ones on day N."""
    if day == 0:
        return np.arange(1, state.count + 1)
    new_first = volumes.customers_at(scale, day - 1) + 1
    changed = [np.arange(new_first, state.count + 1)]
    if day in state.moves:
        changed.append(state.moves[day].ids)
    if day in state.email_changes:
        changed.append(state.email_changes[day])
    return np.unique(np.concatenate(changed))
