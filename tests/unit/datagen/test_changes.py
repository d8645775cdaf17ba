"""Day-N batches really change what they claim: compared with the latest earlier row of each key."""

from datetime import date, datetime, timedelta

import pytest

import datagen

SCALE, SEED, DAYS = 1.0, 9, 6


@pytest.fixture(scope="module")
def batches():
    return [datagen.generate_day(scale=SCALE, day=day, seed=SEED) for day in range(DAYS)]


def _latest_before(batches, entity, key, day):
    latest = {}
    for batch in batches[:day]:
        for row in batch.tables[entity].to_pylist():
            if row[key] not in latest or row["updated_at"] >= latest[row[key]]["updated_at"]:
                latest[row[key]] = row
    return latest


@pytest.mark.parametrize("day", [1, 5])
def test_customer_moves_and_email_changes(batches, day):
    batch = batches[day]
    before = _latest_before(batches, "customers", "customer_id", day)
    now = {row["customer_id"]: row for row in batch.tables["customers"].to_pylist()}
    changes = batch.changes["customers"]
    assert changes["moved"] and changes["email_changed"] and changes["new"]
    for customer in changes["moved"]:
        assert (now[customer]["address"], now[customer]["city"]) != (
            before[customer]["address"],
            before[customer]["city"],
        )
        assert now[customer]["country"] == before[customer]["country"]
        assert now[customer]["updated_at"] > before[customer]["updated_at"]
    for customer in changes["email_changed"]:
        assert now[customer]["email"] != before[customer]["email"]
    for customer in changes["new"]:
        assert customer not in before
        assert now[customer]["signup_date"] == date(2025, 12, 31) + timedelta(days=day)
    assert set(now) == set(changes["new"]) | set(changes["moved"]) | set(changes["email_changed"])


@pytest.mark.parametrize("day", [1, 5])
def test_product_price_and_category_changes(batches, day):
    batch = batches[day]
    before = _latest_before(batches, "products", "product_id", day)
    now = {row["product_id"]: row for row in batch.tables["products"].to_pylist()}
    changes = batch.changes["products"]
    assert changes["price_changed"] and changes["category_changed"]
    for product in changes["price_changed"]:
        assert now[product]["price"] != before[product]["price"]
    for product in changes["category_changed"]:
        assert now[product]["category"] != before[product]["category"]
    assert all(now[p]["updated_at"] > before[p]["updated_at"] for p in now)


def test_order_status_updates_move_the_lifecycle_forward(batches):
    rank = {"placed": 0, "paid": 1, "cancelled": 2, "shipped": 2, "delivered": 3, "returned": 4}
    seen_statuses = set()
    for day in range(1, DAYS):
        batch = batches[day]
        before = _latest_before(batches, "orders", "order_id", day)
        now = {row["order_id"]: row for row in batch.tables["orders"].to_pylist()}
        for order, status in batch.changes["orders"]["status_changed"].items():
            assert now[order]["status"] == status != before[order]["status"]
            assert rank[status] > rank[before[order]["status"]]
            assert now[order]["updated_at"] > before[order]["updated_at"]
            assert now[order]["order_ts"] == before[order]["order_ts"]
            seen_statuses.add(status)
        for order in batch.changes["orders"]["new"]:
            assert order not in before
    assert {"shipped", "delivered", "cancelled", "returned"} <= seen_statuses


def test_late_arriving_events_belong_to_earlier_days(batches):
    late = 0
    for day in range(1, DAYS):
        batch = batches[day]
        business_day = datetime.fromordinal(datetime(2025, 12, 31).toordinal() + day)
        earlier = sum(
            1 for ts in batch.tables["web_events"].column("event_ts").to_pylist() if ts < business_day
        )
        assert earlier == batch.changes["web_events"]["late_arriving"]
        late += earlier
    assert late > 0
