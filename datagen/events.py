"""Web events: the purchase sessions behind tracked online orders (view, add to cart, checkout,
purchase, in that order, ending at the order's timestamp), plus browsing sessions, many of them
anonymous, that abandon along the funnel. A batch holds EVENTS_PER_ORDER events per new order;
on day N a few browsing sessions belong to the two previous dates (late-arriving events)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from datagen import volumes
from datagen.columns import concat, epoch_day, group_starts, text, timestamps, with_nulls
from datagen.customers import CustomerState
from datagen.orders import DAY, HOUR_WEIGHT, Items, Orders
from datagen.products import ProductState, draw_products
from datagen.random import pick, stream
from ecomdwh.contracts import WEB_EVENTS

EVENT_TYPES = pa.array(["page_view", "product_view", "add_to_cart", "checkout", "purchase"])
PAGE_VIEW, PRODUCT_VIEW, ADD_TO_CART, CHECKOUT, PURCHASE = range(5)
FIXED_URLS = pa.array(["/", "", "", "/checkout", "/checkout/complete"])
DEVICES, DEVICE_SHARE = pa.array(["desktop", "mobile", "tablet"]), (0.45, 0.45, 0.1)
REFERRERS = pa.array([None, "google", "facebook", "instagram", "newsletter", "bing"], pa.string())
REFERRER_SHARE = (0.4, 0.3, 0.1, 0.08, 0.07, 0.05)
MOBILE = 1
LOGGED_IN_SHARE = 0.4
CART_SHARE, CHECKOUT_SHARE = 0.25, 0.35  # of browsing sessions; of those that add to cart
LATE_SHARE = 0.03
MEAN_BROWSE_LENGTH = 2.5
MAX_BROWSE_LENGTH = 12
BROWSE_CHUNK = 1_000_000  # events per independently drawn chunk of browsing sessions
ANONYMOUS_VISITORS = 10**9


def _session_events(lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(session row, position within session) for every event."""
    session = np.repeat(np.arange(len(lengths)), lengths)
    starts = group_starts(lengths)
    return session, np.arange(len(session)) - starts[session]


def _browse_lengths(rng: np.random.Generator, budget: int) -> np.ndarray:
    lengths = np.empty(0, dtype=np.int64)
    if budget == 0:
        return lengths
    while lengths.sum() < budget:
        more = np.minimum(
            rng.geometric(1 / MEAN_BROWSE_LENGTH, int(budget / MEAN_BROWSE_LENGTH) + 16), MAX_BROWSE_LENGTH
        )
        lengths = np.concatenate([lengths, more])
    total = np.cumsum(lengths)
    keep = int(np.searchsorted(total, budget)) + 1
    lengths = lengths[:keep]
    lengths[-1] -= total[keep - 1] - budget
    return lengths[lengths > 0]


def _session_dates(rng: np.random.Generator, day: int, count: int) -> np.ndarray:
    if day == 0:
        indexes = np.arange(1 - volumes.HISTORY_DAYS, 1)
        return indexes[pick(volumes.date_weight(indexes), rng.random(count))]
    late = rng.random(count) < LATE_SHARE
    return np.where(late, day - 1 - (rng.random(count) < 0.3), day)


@dataclass
class Sessions:
    """Events of some sessions: per-event arrays, and per-session arrays indexed by `session`."""

    session: np.ndarray  # per event: its session's row
    event_type: np.ndarray
    product: np.ndarray  # 0 = none
    ts: np.ndarray
    order_id: np.ndarray  # 0 = none
    customer: np.ndarray  # per session, 0 = anonymous
    visitor: np.ndarray
    device: np.ndarray

    @classmethod
    def join(cls, parts: list[Sessions]) -> Sessions:
        offsets = np.cumsum([0] + [len(part.customer) for part in parts[:-1]])
        names = ("event_type", "product", "ts", "order_id", "customer", "visitor", "device")
        return cls(
            session=np.concatenate(
                [part.session + offset for part, offset in zip(parts, offsets, strict=True)]
            ),
            **{name: np.concatenate([getattr(part, name) for part in parts]) for name in names},
        )


def _purchase_sessions(rng: np.random.Generator, orders: Orders, items: Items) -> Sessions:
    """Page view, (product view, add to cart) per line, checkout, purchase at the order's time."""
    tracked = np.flatnonzero(orders.tracked)
    lengths = 3 + 2 * orders.lines[tracked]
    session, position = _session_events(lengths)
    order = tracked[session]
    length = lengths[session]
    event_type = np.select(
        [position == 0, position == length - 1, position == length - 2, position % 2 == 1],
        [PAGE_VIEW, PURCHASE, CHECKOUT, PRODUCT_VIEW],
        ADD_TO_CART,
    )
    line = np.clip((position - 1) // 2, 0, orders.lines[order] - 1)
    shows_product = (event_type == PRODUCT_VIEW) | (event_type == ADD_TO_CART)
    gap = rng.integers(20, 120, len(tracked))[session]
    device = np.where(orders.channel[tracked] == MOBILE, MOBILE, pick(DEVICE_SHARE, rng.random(len(tracked))))
    return Sessions(
        session=session,
        event_type=event_type,
        product=np.where(shows_product, items.product_id[group_starts(orders.lines)[order] + line], 0),
        ts=orders.order_ts[order] - (length - 1 - position) * gap,
        order_id=np.where(event_type == PURCHASE, orders.order_id[order], 0),
        customer=orders.customer_id[tracked],
        visitor=ANONYMOUS_VISITORS + orders.customer_id[tracked],
        device=device,
    )


def _browse_sessions(
    rng: np.random.Generator, day: int, budget: int, customers: CustomerState, products: ProductState
) -> Sessions:
    """Sessions that view products and abandon along the funnel, `budget` events in all."""
    lengths = _browse_lengths(rng, budget)
    sessions = len(lengths)
    session, position = _session_events(lengths)
    length = lengths[session]
    carts = rng.random(sessions) < CART_SHARE
    checkouts = carts & (rng.random(sessions) < CHECKOUT_SHARE) & (lengths >= 4)
    event_type = np.where(position == 0, PAGE_VIEW, PRODUCT_VIEW)
    last = position == length - 1
    event_type[last & checkouts[session]] = CHECKOUT
    event_type[last & carts[session] & ~checkouts[session] & (length >= 3)] = ADD_TO_CART
    event_type[(position == length - 2) & checkouts[session]] = ADD_TO_CART
    viewed = draw_products(products, rng.random(len(session)))
    viewed[1:] = np.where(event_type[1:] == ADD_TO_CART, viewed[:-1], viewed[1:])  # add what was just viewed
    date_index = _session_dates(rng, day, sessions)
    day_start = (epoch_day(volumes.LAST_HISTORY_DATE) + date_index) * DAY
    start = day_start + pick(HOUR_WEIGHT, rng.random(sessions)) * 3600 + rng.integers(0, 3600, sessions)
    ts = start[session] + position * rng.integers(15, 180, sessions)[session]
    signed_up = np.searchsorted(customers.signup_day, day_start // DAY, side="right")
    logged_in = rng.random(sessions) < LOGGED_IN_SHARE
    customer = np.where(logged_in, 1 + (rng.random(sessions) * signed_up).astype(np.int64), 0)
    visitor = np.where(
        customer > 0, ANONYMOUS_VISITORS + customer, rng.integers(0, ANONYMOUS_VISITORS, sessions)
    )
    return Sessions(
        session=session,
        event_type=event_type,
        product=np.where((event_type == PRODUCT_VIEW) | (event_type == ADD_TO_CART), viewed, 0),
        ts=ts,
        order_id=np.zeros(len(session), dtype=np.int64),
        customer=customer,
        visitor=visitor,
        device=pick(DEVICE_SHARE, rng.random(sessions)),
    )


def web_events(
    seed: int, day: int, orders: Orders, items: Items, customers: CustomerState, products: ProductState
) -> pa.Table:
    rng = stream(seed, "events", day)
    bought = _purchase_sessions(rng, orders, items)
    budget = max(0, volumes.EVENTS_PER_ORDER * len(orders.order_id) - len(bought.session))
    # Browsing comes in chunks with their own random streams, so two threads can draw them.
    chunks = [min(BROWSE_CHUNK, budget - start) for start in range(0, budget, BROWSE_CHUNK)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        browsed = pool.map(
            lambda chunk: _browse_sessions(
                stream(seed, "browse", day, chunk), day, chunks[chunk], customers, products
            ),
            range(len(chunks)),
        )
        events = Sessions.join([bought, *browsed])
    referrer = pick(REFERRER_SHARE, rng.random(len(events.customer)))
    has_product = events.product > 0
    # One take from a pool of every URL: the fixed pages, then /p/<id> for each product.
    urls = pa.concat_arrays([FIXED_URLS, concat("/p/", text(np.arange(1, products.count + 1)))])
    customer = events.customer[events.session]
    columns = {
        "event_id": concat(f"e{day}-", text(np.arange(len(events.session)))),
        # Session-level strings are built once per session, then spread to its events.
        "session_id": concat(f"s{day}-", text(np.arange(len(events.customer)))).take(events.session),
        "customer_id": with_nulls(customer.astype(np.int64), customer == 0),
        "anonymous_id": concat("v", text(events.visitor)).take(events.session),
        "event_type": EVENT_TYPES.take(events.event_type),
        "event_ts": timestamps(events.ts),
        "product_id": with_nulls(events.product.astype(np.int64), ~has_product),
        "order_id": with_nulls(events.order_id.astype(np.int64), events.order_id == 0),
        "page_url": urls.take(np.where(has_product, len(FIXED_URLS) - 1 + events.product, events.event_type)),
        "device": DEVICES.take(events.device[events.session]),
        "referrer": REFERRERS.take(referrer[events.session]),
    }
    return pa.table({name: columns[name] for name in WEB_EVENTS.column_names})
