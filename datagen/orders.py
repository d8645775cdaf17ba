"""Orders and order items. Every attribute of an order is a hash of (seed, order_id), so the
orders of any business date can be rebuilt alone: day N re-emits, as full rows with a newer
`updated_at`, the earlier orders whose status changed on its business date."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from datagen import volumes
from datagen.columns import cents_to_decimal, epoch_day, group_starts, timestamps, with_nulls
from datagen.customers import CustomerState, address_columns
from datagen.products import COMPANIONS, ProductState, draw_products, next_popular
from datagen.random import hashed_uniforms, pick
from ecomdwh.contracts import ORDER_ITEMS, ORDERS

DAY = 86_400
STATUSES = pa.array(["placed", "paid", "shipped", "delivered", "cancelled", "returned"])
PLACED, PAID, SHIPPED, DELIVERED, CANCELLED, RETURNED = range(6)
CHANNELS = pa.array(["web", "mobile_app", "marketplace", "store"])
CHANNEL_SHARE = (0.38, 0.27, 0.22, 0.13)
STORE = 3
PAYMENTS = pa.array(["card", "paypal", "apple_pay", "gift_card", "bank_transfer"])
PAYMENT_SHARE = (0.55, 0.2, 0.13, 0.05, 0.07)
CANCEL_SHARE, RETURN_SHARE = 0.05, 0.04
COUPONS_CENTS, COUPON_SHARE = np.array([0, 500, 1000, 1500, 2000]), (0.8, 0.08, 0.06, 0.04, 0.02)
SHIPPING_CENTS, SHIPPING_SHARE = np.array([0, 499, 799, 1299]), (0.6, 0.2, 0.15, 0.05)
HOUR_WEIGHT = (2, 1, 1, 1, 1, 2, 3, 5, 6, 7, 7, 7, 8, 7, 6, 6, 6, 7, 9, 11, 12, 11, 8, 4)
LINE_SHARE = (0.38, 0.26, 0.15, 0.09, 0.05, 0.03, 0.02, 0.01, 0.01)  # 1..9 lines, mean 2.45
QUANTITY_SHARE = (0.72, 0.17, 0.06, 0.03, 0.02)
LINE_DISCOUNT_SHARE, LINE_DISCOUNT_PERCENTS = 0.15, np.array([10, 15, 20, 25, 30])
COMPANION_SHARE = 0.6  # share of lines after the first that complement the first line's product
LIFECYCLE_DAYS = 23  # longest placed -> returned span; older orders never change again
ITEM_ID_FACTOR = 10  # order_item_id = order_id * 10 + line_number (line_number <= 9)


@dataclass
class Orders:
    """The facts of a set of orders, whatever day they are emitted on."""

    order_id: np.ndarray
    date_index: np.ndarray
    order_ts: np.ndarray
    customer_id: np.ndarray
    channel: np.ndarray
    payment: np.ndarray
    discount_cents: np.ndarray
    shipping_cents: np.ndarray
    lines: np.ndarray
    tracked: np.ndarray  # a web session was recorded (consenting online visitors)
    transitions: np.ndarray  # (orders, 6) epoch seconds when each status was reached, -1 never


def orders_for_dates(seed: int, scale: float, indexes: range | list[int], customers: CustomerState) -> Orders:
    all_indexes, first_ids, counts = volumes.order_id_ranges(scale, max(indexes))
    chosen = np.isin(all_indexes, np.asarray(list(indexes)))
    ids = np.concatenate(
        [np.arange(f, f + c) for f, c in zip(first_ids[chosen], counts[chosen], strict=True)] + [[]]
    )
    date_index = np.repeat(all_indexes[chosen], counts[chosen])
    return _orders(seed, ids.astype(np.int64), date_index, customers)


def _orders(seed: int, ids: np.ndarray, date_index: np.ndarray, customers: CustomerState) -> Orders:
    u_pick, u_skew = hashed_uniforms(seed, "order-customer", ids, 2)
    u_hour, u_second = hashed_uniforms(seed, "order-time", ids, 2)
    u_channel, u_payment, u_coupon, u_shipping = hashed_uniforms(seed, "order-kind", ids, 4)
    u_outcome, u_paid, u_ship, u_deliver = hashed_uniforms(seed, "order-life", ids, 4)
    u_return, u_cancel, u_lines, u_tracked = hashed_uniforms(seed, "order-more", ids, 4)
    u_ship_hour, u_deliver_hour = hashed_uniforms(seed, "order-hours", ids, 2)

    day_start = (epoch_day(volumes.LAST_HISTORY_DATE) + date_index) * DAY
    order_ts = day_start + pick(HOUR_WEIGHT, u_hour) * 3600 + (u_second * 3600).astype(np.int64)
    # Repeat customers: most orders come from long-standing customers (skewed to early sign-ups).
    signed_up = np.searchsorted(customers.signup_day, day_start // DAY, side="right")
    position = np.where(u_skew < 0.7, u_pick**2, u_pick)
    customer_id = 1 + np.minimum((signed_up * position).astype(np.int64), signed_up - 1)

    outcome = pick((1 - CANCEL_SHARE - RETURN_SHARE, CANCEL_SHARE, RETURN_SHARE), u_outcome)
    transitions = np.full((len(ids), 6), -1, dtype=np.int64)
    transitions[:, PLACED] = order_ts
    transitions[:, PAID] = order_ts + 60 + (u_paid * 900).astype(np.int64)
    cancelled, returned = outcome == 1, outcome == 2
    transitions[cancelled, CANCELLED] = (
        order_ts[cancelled] + 3600 + (u_cancel[cancelled] * 30 * 3600).astype(np.int64)
    )
    kept = ~cancelled
    shipped = (
        day_start
        + (1 + (u_ship * 2).astype(np.int64)) * DAY
        + ((8 + u_ship_hour * 10) * 3600).astype(np.int64)
    )
    delivered = (
        shipped + (1 + (u_deliver * 4).astype(np.int64)) * DAY + (u_deliver_hour * 6 * 3600).astype(np.int64)
    )
    transitions[kept, SHIPPED] = shipped[kept]
    transitions[kept, DELIVERED] = delivered[kept]
    transitions[returned, RETURNED] = (
        delivered[returned] + (3 + (u_return[returned] * 12).astype(np.int64)) * DAY
    )
    channel = pick(CHANNEL_SHARE, u_channel)
    return Orders(
        order_id=ids,
        date_index=date_index,
        order_ts=order_ts,
        customer_id=customer_id,
        channel=channel,
        payment=pick(PAYMENT_SHARE, u_payment),
        discount_cents=COUPONS_CENTS[pick(COUPON_SHARE, u_coupon)],
        shipping_cents=np.where(channel == STORE, 0, SHIPPING_CENTS[pick(SHIPPING_SHARE, u_shipping)]),
        lines=1 + pick(LINE_SHARE, u_lines),
        tracked=(channel < 2) & (u_tracked < 0.3),
        transitions=transitions,
    )


def status_as_of(orders: Orders, date_index: int) -> tuple[np.ndarray, np.ndarray]:
    """(status, updated_at) at the end of a business date: the latest transition reached by then."""
    end = (epoch_day(volumes.LAST_HISTORY_DATE) + date_index + 1) * DAY
    reached = (orders.transitions >= 0) & (orders.transitions < end)
    latest = np.where(reached, orders.transitions, -1)
    status = np.argmax(latest, axis=1)
    return status, latest[np.arange(len(status)), status]


def status_updates(seed: int, scale: float, day: int, customers: CustomerState) -> tuple[Orders, np.ndarray]:
    """Earlier orders whose status changed on day N's business date, and their new status."""
    recent = [i for i in range(day - LIFECYCLE_DAYS, day) if i > -volumes.HISTORY_DAYS]
    orders = orders_for_dates(seed, scale, recent, customers)
    before, _ = status_as_of(orders, day - 1)
    after, _ = status_as_of(orders, day)
    return select(orders, before != after), after[before != after]


def select(orders: Orders, mask: np.ndarray) -> Orders:
    return Orders(**{name: getattr(orders, name)[mask] for name in Orders.__dataclass_fields__})


def orders_table(orders: Orders, as_of_index: int, customers: CustomerState) -> pa.Table:
    status, updated_at = status_as_of(orders, as_of_index)
    place = np.empty(len(orders.order_id), dtype=np.int64)
    street, house = place.copy(), place.copy()
    emitted_on = np.maximum(orders.date_index, 0)  # the day an order first lands: its address then
    for day in np.unique(emitted_on):
        rows = emitted_on == day
        place[rows], street[rows], house[rows] = customers.places_as_of(orders.customer_id[rows], int(day))
    address = address_columns(place, street, house)
    in_store = orders.channel == STORE
    columns = {
        "order_id": pa.array(orders.order_id, pa.int64()),
        "customer_id": pa.array(orders.customer_id, pa.int64()),
        "order_ts": timestamps(orders.order_ts),
        "status": STATUSES.take(status),
        "channel": CHANNELS.take(orders.channel),
        "payment_method": PAYMENTS.take(orders.payment),
        "shipping_address": with_nulls(address["address"], in_store),
        "shipping_city": with_nulls(address["city"], in_store),
        "shipping_state": with_nulls(address["state"], in_store),
        "shipping_postal_code": with_nulls(address["postal_code"], in_store),
        "shipping_country": address["country"],
        "discount_amount": cents_to_decimal(orders.discount_cents),
        "shipping_amount": cents_to_decimal(orders.shipping_cents),
        "updated_at": timestamps(updated_at),
    }
    return pa.table({name: columns[name] for name in ORDERS.column_names})


@dataclass
class Items:
    order_index: np.ndarray  # row of the order in its Orders
    line_number: np.ndarray
    product_id: np.ndarray


def draw_items(seed: int, orders: Orders, products: ProductState) -> Items:
    order_index = np.repeat(np.arange(len(orders.order_id)), orders.lines)
    starts = group_starts(orders.lines)
    line_number = np.arange(len(order_index)) - np.repeat(starts, orders.lines) + 1
    item_id = orders.order_id[order_index] * ITEM_ID_FACTOR + line_number
    u_product, u_mix = hashed_uniforms(seed, "item-product", item_id, 2)
    product = draw_products(products, u_product)
    first_product = np.repeat(product[starts], orders.lines)
    companion = products.companions[first_product - 1, (u_mix * 65536).astype(np.int64) % COMPANIONS]
    product = np.where((line_number > 1) & (u_mix < COMPANION_SHARE), companion, product)
    return Items(
        order_index=order_index,
        line_number=line_number,
        product_id=_distinct_lines(product, line_number, products),
    )


def _distinct_lines(product: np.ndarray, line_number: np.ndarray, products: ProductState) -> np.ndarray:
    """An order lists a product once: a line repeating an earlier line's product takes the next most
    popular product instead, until no line repeats (lines of an order are adjacent, at most 9)."""
    product = product.copy()
    for _ in range(len(LINE_SHARE)):
        repeated = np.zeros(len(product), dtype=bool)
        for back in range(1, len(LINE_SHARE)):
            repeated[back:] |= (product[back:] == product[:-back]) & (line_number[back:] > back)
        if not repeated.any():
            break
        product[repeated] = next_popular(products, product[repeated])
    return product


def items_table(seed: int, orders: Orders, items: Items, products: ProductState) -> pa.Table:
    order_id = orders.order_id[items.order_index]
    item_id = order_id * ITEM_ID_FACTOR + items.line_number
    u_quantity, u_discount, u_percent, _ = hashed_uniforms(seed, "item-terms", item_id, 4)
    quantity = 1 + pick(QUANTITY_SHARE, u_quantity)
    unit_cents = products.price_cents[items.product_id - 1]
    percent = np.where(
        u_discount < LINE_DISCOUNT_SHARE, LINE_DISCOUNT_PERCENTS[(u_percent * 5).astype(np.int64)], 0
    )
    columns = {
        "order_item_id": pa.array(item_id, pa.int64()),
        "order_id": pa.array(order_id, pa.int64()),
        "line_number": pa.array(items.line_number, pa.int64()),
        "product_id": pa.array(items.product_id, pa.int64()),
        "quantity": pa.array(quantity, pa.int64()),
        "unit_price": cents_to_decimal(unit_cents),
        "discount_amount": cents_to_decimal(np.rint(unit_cents * quantity * percent / 100).astype(np.int64)),
        "updated_at": timestamps(orders.order_ts[items.order_index]),
    }
    return pa.table({name: columns[name] for name in ORDER_ITEMS.column_names})
