"""Web events: the purchase sessions behind tracked online orders (view, add to cart, checkout,
purchase, in that order, ending at the order's timestamp), plus browsing sessions, many of them
anonymous, that abandon along the funnel. A batch holds EVENTS_PER_ORDER events per new order;
on day N a few browsing sessions belong to the two previous dates (late-arriving events)."""

from __future__ import annotations

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


def web_events(
    seed: int, day: int, orders: Orders, items: Items, customers: CustomerState, products: ProductState
) -> pa.Table:
    rng = stream(seed, "events", day)
    # Purchase sessions: page view, (product view, add to cart) per line, checkout, purchase.
    tracked = np.flatnonzero(orders.tracked)
    purchase_lengths = 3 + 2 * orders.lines[tracked]
    p_session, p_position = _session_events(purchase_lengths)
    p_order = tracked[p_session]
    p_length = purchase_lengths[p_session]
    p_type = np.where(
        p_position == 0,
        PAGE_VIEW,
        np.where(
            p_position == p_length - 1,
            PURCHASE,
            np.where(
                p_position == p_length - 2, CHECKOUT, np.where(p_position % 2 == 1, PRODUCT_VIEW, ADD_TO_CART)
            ),
        ),
    )
    first_item = group_starts(orders.lines)
    line = np.clip((p_position - 1) // 2, 0, orders.lines[p_order] - 1)
    p_product = np.where(
        (p_type == PRODUCT_VIEW) | (p_type == ADD_TO_CART), items.product_id[first_item[p_order] + line], 0
    )
    p_gap = rng.integers(20, 120, len(tracked))[p_session]
    p_ts = orders.order_ts[p_order] - (p_length - 1 - p_position) * p_gap
    p_device = np.where(
        orders.channel[tracked] == MOBILE, MOBILE, pick(DEVICE_SHARE, rng.random(len(tracked)))
    )

    # Browsing sessions fill the rest of the batch's events.
    budget = max(0, volumes.EVENTS_PER_ORDER * len(orders.order_id) - len(p_session))
    lengths = _browse_lengths(rng, budget)
    sessions = len(lengths)
    b_session, b_position = _session_events(lengths)
    b_length = lengths[b_session]
    carts = rng.random(sessions) < CART_SHARE
    checkouts = carts & (rng.random(sessions) < CHECKOUT_SHARE) & (lengths >= 4)
    b_type = np.where(b_position == 0, PAGE_VIEW, PRODUCT_VIEW)
    last = b_position == b_length - 1
    b_type[last & checkouts[b_session]] = CHECKOUT
    b_type[last & carts[b_session] & ~checkouts[b_session] & (b_length >= 3)] = ADD_TO_CART
    b_type[(b_position == b_length - 2) & checkouts[b_session]] = ADD_TO_CART
    viewed = draw_products(products, rng.random(len(b_session)))
    viewed[1:] = np.where(b_type[1:] == ADD_TO_CART, viewed[:-1], viewed[1:])  # add what was just viewed
    b_product = np.where((b_type == PRODUCT_VIEW) | (b_type == ADD_TO_CART), viewed, 0)
    date_index = _session_dates(rng, day, sessions)
    day_start = (epoch_day(volumes.LAST_HISTORY_DATE) + date_index) * DAY
    start = day_start + pick(HOUR_WEIGHT, rng.random(sessions)) * 3600 + rng.integers(0, 3600, sessions)
    b_ts = start[b_session] + b_position * rng.integers(15, 180, sessions)[b_session]
    signed_up = np.searchsorted(customers.signup_day, day_start // DAY, side="right")
    b_customer = np.where(
        rng.random(sessions) < LOGGED_IN_SHARE, 1 + (rng.random(sessions) * signed_up).astype(np.int64), 0
    )
    b_visitor = np.where(
        b_customer > 0, ANONYMOUS_VISITORS + b_customer, rng.integers(0, ANONYMOUS_VISITORS, sessions)
    )

    session_of = np.concatenate([p_session, len(tracked) + b_session])
    customer = np.concatenate([orders.customer_id[tracked], b_customer])[session_of]
    visitor = np.concatenate([ANONYMOUS_VISITORS + orders.customer_id[tracked], b_visitor])
    all_sessions = np.arange(len(visitor))
    device = np.concatenate([p_device, pick(DEVICE_SHARE, rng.random(sessions))])[session_of]
    referrer = pick(REFERRER_SHARE, rng.random(len(tracked) + sessions))[session_of]
    event_type = np.concatenate([p_type, b_type])
    product = np.concatenate([p_product, b_product])
    order_id = np.concatenate(
        [np.where(p_type == PURCHASE, orders.order_id[p_order], 0), np.zeros(len(b_session), np.int64)]
    )
    has_product = product > 0
    # One take from a pool of every URL: the fixed pages, then /p/<id> for each product.
    urls = pa.concat_arrays([FIXED_URLS, concat("/p/", text(np.arange(1, products.count + 1)))])
    page_url = urls.take(np.where(has_product, len(FIXED_URLS) - 1 + product, event_type))
    columns = {
        "event_id": concat(f"e{day}-", text(np.arange(len(event_type)))),
        # Session-level strings are built once per session, then spread to its events.
        "session_id": concat(f"s{day}-", text(all_sessions)).take(session_of),
        "customer_id": with_nulls(customer.astype(np.int64), customer == 0),
        "anonymous_id": concat("v", text(visitor)).take(session_of),
        "event_type": EVENT_TYPES.take(event_type),
        "event_ts": timestamps(np.concatenate([p_ts, b_ts])),
        "product_id": with_nulls(product.astype(np.int64), ~has_product),
        "order_id": with_nulls(order_id.astype(np.int64), order_id == 0),
        "page_url": page_url,
        "device": DEVICES.take(device),
        "referrer": REFERRERS.take(referrer),
    }
    return pa.table({name: columns[name] for name in WEB_EVENTS.column_names})
