"""Clean data is referentially whole and its parts tell one consistent story."""

from collections import Counter

import pyarrow.compute as pc
import pytest

import datagen
from datagen.products import product_state
from ecomdwh.contracts import ENTITIES


@pytest.fixture(scope="module")
def day0():
    return datagen.generate_day(scale=0.4, day=0, seed=5)


def _column(batch, entity, name):
    return batch.tables[entity].column(name).to_pylist()


def test_tables_carry_exactly_the_contract_columns(day0):
    for name, table in day0.tables.items():
        assert table.column_names == ENTITIES[name].column_names


def test_required_columns_have_no_nulls(day0):
    for name, table in day0.tables.items():
        for column in ENTITIES[name].required_columns:
            assert table.column(column).null_count == 0, f"{name}.{column}"


def test_business_keys_are_unique(day0):
    for name, table in day0.tables.items():
        keys = list(zip(*(table.column(k).to_pylist() for k in ENTITIES[name].business_key), strict=True))
        assert len(keys) == len(set(keys)), name


def test_foreign_keys_resolve(day0):
    customers = set(_column(day0, "customers", "customer_id"))
    products = set(_column(day0, "products", "product_id"))
    orders = set(_column(day0, "orders", "order_id"))
    assert set(_column(day0, "orders", "customer_id")) <= customers
    assert set(_column(day0, "order_items", "order_id")) == orders
    assert set(_column(day0, "order_items", "product_id")) <= products
    events = day0.tables["web_events"]
    assert set(events.column("customer_id").drop_null().to_pylist()) <= customers
    assert set(events.column("product_id").drop_null().to_pylist()) <= products
    assert set(events.column("order_id").drop_null().to_pylist()) <= orders


def test_orders_come_after_sign_up_and_sell_only_active_products(day0):
    signup = dict(
        zip(_column(day0, "customers", "customer_id"), _column(day0, "customers", "signup_date"), strict=True)
    )
    for customer, ordered in zip(
        _column(day0, "orders", "customer_id"), _column(day0, "orders", "order_ts"), strict=True
    ):
        assert signup[customer] <= ordered.date()
    active = dict(
        zip(_column(day0, "products", "product_id"), _column(day0, "products", "is_active"), strict=True)
    )
    assert all(active[p] for p in _column(day0, "order_items", "product_id"))


def test_item_prices_match_the_product_price_that_day():
    for day in (0, 3):
        batch = datagen.generate_day(scale=0.4, day=day, seed=5)
        state = product_state(5, 0.4, day)
        for product, price in zip(
            _column(batch, "order_items", "product_id"),
            _column(batch, "order_items", "unit_price"),
            strict=True,
        ):
            assert int(price * 100) == state.price_cents[product - 1]


def test_purchase_events_mirror_their_orders(day0):
    orders = day0.tables["orders"].to_pylist()
    by_id = {o["order_id"]: o for o in orders}
    events = day0.tables["web_events"].to_pylist()
    purchases = [e for e in events if e["event_type"] == "purchase"]
    assert purchases, "some online orders are tracked"
    items = Counter()
    for item in day0.tables["order_items"].to_pylist():
        items[item["order_id"]] += 1
    carts_by_session = Counter(e["session_id"] for e in events if e["event_type"] == "add_to_cart")
    for event in purchases:
        order = by_id[event["order_id"]]
        assert event["customer_id"] == order["customer_id"]
        assert event["event_ts"] == order["order_ts"]
        assert order["channel"] in ("web", "mobile_app")
        assert carts_by_session[event["session_id"]] == items[event["order_id"]]


def test_funnel_narrows_and_has_anonymous_visitors(day0):
    counts = Counter(_column(day0, "web_events", "event_type"))
    assert counts["page_view"] > counts["add_to_cart"] > counts["checkout"] > counts["purchase"] > 0
    assert day0.tables["web_events"].column("customer_id").null_count > 0


def test_popularity_is_skewed_and_customers_repeat(day0):
    sold = Counter(_column(day0, "order_items", "product_id"))
    top = sum(count for _, count in sold.most_common(len(sold) // 20))
    assert top / sum(sold.values()) > 0.25, "top 5% of products sell over a quarter of the lines"
    per_customer = Counter(_column(day0, "orders", "customer_id"))
    repeaters = sum(1 for n in per_customer.values() if n > 1)
    assert repeaters / len(per_customer) > 0.3


def test_baskets_pair_products_of_complementary_categories(day0):
    category = dict(
        zip(_column(day0, "products", "product_id"), _column(day0, "products", "category"), strict=True)
    )
    lines: dict[int, list[str]] = {}
    for order, product in zip(
        _column(day0, "order_items", "order_id"), _column(day0, "order_items", "product_id"), strict=True
    ):
        lines.setdefault(order, []).append(category[product])
    pairs = [(b[0], other) for b in lines.values() for other in b[1:]]
    same = sum(1 for first, other in pairs if first == other) / len(pairs)
    share = Counter(category[p] for p in _column(day0, "order_items", "product_id"))
    chance = sum((n / sum(share.values())) ** 2 for n in share.values())
    assert same > 2 * chance, "basket lines share the first line's category far above chance"


def test_seasonality_and_weekdays(day0):
    dates = [ts.date() for ts in _column(day0, "orders", "order_ts")]
    by_month = Counter(d.month for d in dates)
    assert by_month[12] > 1.4 * by_month[2]
    per_weekday = Counter(d.weekday() for d in dates)
    assert per_weekday[6] > per_weekday[5]  # Sundays beat Saturdays
    assert pc.min(day0.tables["orders"]["order_ts"]).as_py().year == 2025


def test_an_order_lists_each_product_once(day0):
    lines = list(
        zip(_column(day0, "order_items", "order_id"), _column(day0, "order_items", "product_id"), strict=True)
    )
    assert len(lines) == len(set(lines))
