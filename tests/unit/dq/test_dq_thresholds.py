"""Thresholds decide pass or fail (score >= threshold), can be overridden per dimension or per check,
and a failure stops the pipeline only at or above the stop severity."""

import tomllib
from datetime import date, datetime

import pytest
from clean_warehouse import AS_OF

from ecomdwh.dq.checks import CHECKS_FILE, load_checks, parse_checks
from ecomdwh.dq.runner import run_checks
from ecomdwh.dq.step import end_of_ingest_day


def completeness(warehouse, checks):
    run = run_checks([c for c in checks if c.name == "customer_required_fields"], warehouse, as_of=AS_OF)
    return run.results[0]


def test_a_score_equal_to_the_threshold_passes_and_one_row_less_fails(clean):
    checks = load_checks()
    clean.execute("update dim_customer set email = null where customer_id = 1")
    at_threshold = completeness(clean, checks)
    assert (at_threshold.score, at_threshold.check.threshold, at_threshold.passed) == (0.95, 0.95, True)
    clean.execute("update dim_customer set email = null where customer_id = 2")
    below = completeness(clean, checks)
    assert (below.checked_rows, below.passing_rows, below.passed) == (20, 18, False)


def test_a_dimension_threshold_override_changes_the_verdict(clean):
    clean.execute("update dim_customer set email = null where customer_id in (1, 2)")
    assert completeness(clean, load_checks(threshold_overrides={"completeness": 0.9})).passed
    assert not completeness(clean, load_checks(threshold_overrides={"completeness": 0.91})).passed


def test_a_check_threshold_beats_its_dimension_default():
    document = tomllib.loads(CHECKS_FILE.read_text())
    spec = next(c for c in document["check"] if c["name"] == "customer_required_fields")
    spec["threshold"] = 0.5
    checks = parse_checks(document, "checks.toml", threshold_overrides={"completeness": 0.99})
    assert next(c for c in checks if c.name == "customer_required_fields").threshold == 0.5
    assert next(c for c in checks if c.name == "order_required_fields").threshold == 0.99


@pytest.mark.parametrize(
    ("violation", "stop_on_error", "stop_on_warn"),
    [
        pytest.param(None, False, False, id="all-pass"),
        pytest.param(
            "update dim_customer set email = 'x' where customer_id = 5", False, True, id="warn-check"
        ),
        pytest.param("update fct_orders set status = '?' where order_id = 5", True, True, id="error-check"),
    ],
)
def test_only_failures_at_or_above_the_stop_severity_stop_the_pipeline(
    clean, violation, stop_on_error, stop_on_warn
):
    if violation:
        clean.execute(violation)
    run = run_checks(load_checks(), clean, as_of=AS_OF)
    assert (run.must_stop("error"), run.must_stop("warn")) == (stop_on_error, stop_on_warn)


def test_dimension_scores_are_the_lowest_check_score(clean):
    clean.execute("update dim_customer set email = null where customer_id in (1, 2)")
    scores = run_checks(load_checks(), clean, as_of=AS_OF).dimension_scores()
    assert scores["completeness"] == 0.9
    assert scores["accuracy"] == 1.0


def test_checking_an_ingest_date_measures_freshness_against_its_end(clean):
    as_of = end_of_ingest_day(date(2026, 3, 2))
    assert as_of == datetime(2026, 3, 3)
    assert not run_checks(load_checks(), clean, as_of=as_of).failures
    stale = run_checks(load_checks(), clean, as_of=end_of_ingest_day(date(2026, 3, 4)))
    assert {r.check.name for r in stale.failures} == {"orders_fresh", "web_events_fresh"}
