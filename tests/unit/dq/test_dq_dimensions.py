"""Each dimension catches a seeded violation and passes on clean data, on real DuckDB through the real
Redshift-to-DuckDB translation, with the shipped checks file."""

from datetime import timedelta

import pytest
from clean_warehouse import AS_OF

from ecomdwh.dq.checks import DIMENSIONS, load_checks
from ecomdwh.dq.runner import run_checks


def failed(warehouse, as_of=AS_OF, **overrides):
    run = run_checks(load_checks(threshold_overrides=overrides), warehouse, as_of=as_of)
    return {r.check.name for r in run.failures}


def test_clean_data_passes_every_check_and_every_check_looks_at_rows(clean):
    run = run_checks(load_checks(), clean, as_of=AS_OF)
    assert [r.check.name for r in run.failures] == []
    assert {r.check.name: r.checked_rows for r in run.results if r.checked_rows == 0} == {}
    assert {r.check.dimension for r in run.results} == set(DIMENSIONS)


@pytest.mark.parametrize(
    ("violation", "caught"),
    [
        pytest.param(
            ["update dim_customer set email = null where customer_id in (1, 2)"],
            {"customer_required_fields"},
            id="completeness-missing-emails",
        ),
        pytest.param(
            ["update fct_order_items set gross_amount = gross_amount + 1 where order_item_id = 11"],
            {"order_line_gross_amount"},
            id="accuracy-line-total-not-quantity-times-price",
        ),
        pytest.param(
            ["update fct_orders set order_total_amount = order_total_amount - 4.99 where order_id = 3"],
            {"order_total_amount"},
            id="accuracy-order-total-without-shipping",
        ),
        pytest.param(
            [
                "insert into fct_order_items (order_item_id, order_id, line_number, order_date_key, "
                "customer_sk, product_sk, quantity, unit_price, discount_amount, gross_amount, net_amount) "
                "values (9991, 999, 1, 20260302, 1, 1, 1, 1.50, 0, 1.50, 1.50)"
            ],
            {"order_line_has_order"},
            id="consistency-line-without-order",
        ),
        pytest.param(
            [
                "update fct_orders set items_net_amount = items_net_amount + 2, "
                "order_total_amount = order_total_amount + 2 where order_id = 4"
            ],
            {"order_matches_its_lines"},
            id="consistency-order-does-not-reconcile-with-lines",
        ),
        pytest.param(
            ["update load_reconciliation set loaded_rows = 0 where entity = 'orders'"],
            {"staged_rows_loaded"},
            id="consistency-staged-order-missing-from-facts",
        ),
        pytest.param(
            ["update fct_orders set status = 'shipped?' where order_id = 7"],
            {"order_status_valid"},
            id="validity-unknown-status",
        ),
        pytest.param(
            ["update dim_customer set email = 'not an email' where customer_id = 5"],
            {"customer_email_format"},
            id="validity-email-format",
        ),
        pytest.param(
            ["update dim_product set price = 0 where product_id = 2"],
            {"product_price_range"},
            id="validity-price-out-of-range",
        ),
        pytest.param(
            ["insert into fct_orders select * from fct_orders where order_id = 9"],
            {"order_id_unique"},
            id="uniqueness-duplicate-order",
        ),
        pytest.param(
            ["update dim_customer set customer_id = 1 where customer_id = 2"],
            {"current_customer_unique"},
            id="uniqueness-two-current-versions",
        ),
    ],
)
def test_a_seeded_violation_fails_exactly_its_check(clean, violation, caught):
    for sql in violation:
        clean.execute(sql)
    assert failed(clean) == caught


def test_freshness_fails_when_the_latest_rows_are_older_than_allowed(clean):
    assert failed(clean, as_of=AS_OF + timedelta(hours=42)) == set()
    assert failed(clean, as_of=AS_OF + timedelta(hours=43)) == {"orders_fresh", "web_events_fresh"}


def test_freshness_fails_on_an_empty_table(clean):
    clean.execute("delete from fct_web_events")
    assert failed(clean) == {"web_events_fresh"}
