"""The checks file is validated and gate-checked when read; mistakes name the check and the fix."""

import pytest

from ecomdwh.dq.checks import DIMENSIONS, CheckError, load_checks, parse_checks
from ecomdwh.dq.runner import run_checks

THRESHOLDS = dict.fromkeys(DIMENSIONS, 0.9)


def one(**spec):
    base = {"name": "c", "dimension": "validity", "table": "fct_orders", "kind": "rule", "condition": "true"}
    merged = {key: value for key, value in {**base, **spec}.items() if value is not None}
    return parse_checks({"thresholds": THRESHOLDS, "check": [merged]}, "t.toml")


def test_the_shipped_checks_cover_every_dimension_and_use_the_issue_thresholds():
    checks = load_checks()
    thresholds = {c.dimension: c.threshold for c in checks}
    assert thresholds == {
        "completeness": 0.95,
        "accuracy": 0.98,
        "consistency": 0.99,
        "validity": 0.97,
        "uniqueness": 1.0,
        "freshness": 1.0,
    }
    assert {c.severity for c in checks} == {"warn", "error"}


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"kind": "regex"}, "kind 'regex' is unknown; use one of not_null, rule"),
        ({"kind": "not_null"}, "add `columns`"),
        ({"dimension": "timeliness"}, "dimension 'timeliness' is unknown"),
        ({"severity": "fatal"}, "severity 'fatal' is unknown; use one of warn, error"),
        ({"table": "orders; drop table x"}, "is not a plain lowercase identifier"),
        ({"columns": ["a"]}, "remove `columns` (a rule check does not use it)"),
        ({"threshold": 1.5}, "threshold 1.5 must be between 0 and 1"),
        (
            {"threshold": "0.9; drop table x"},
            "threshold '0.9; drop table x' must be between 0 and 1 (a number)",
        ),
        ({"threshold": True}, "threshold True must be between 0 and 1 (a number)"),
        ({"kind": "freshness", "column": "order_ts", "max_age_hours": "2d"}, "max_age_hours must be"),
        (
            {"kind": "references", "column": "order_id", "parent": "fct_orders"},
            "must be written table.column",
        ),
    ],
)
def test_a_bad_definition_names_the_check_and_the_fix(spec, message):
    with pytest.raises(CheckError, match="t.toml: check 'c'") as raised:
        one(**spec)
    assert message in str(raised.value)


def test_sql_redshift_rejects_fails_when_the_file_is_read():
    with pytest.raises(CheckError, match=r"would fail in Redshift:\n.*is \[not\] distinct from"):
        one(condition="status is distinct from 'paid'")


def test_a_check_is_one_select_statement():
    with pytest.raises(CheckError, match="must be one select statement"):
        one(condition="true; delete from fct_orders")
    with pytest.raises(CheckError, match="must be one select statement"):
        one(kind="sql", sql="delete from fct_orders", condition=None)


def test_an_override_outside_zero_to_one_is_refused():
    with pytest.raises(CheckError, match="between 0 and 1, got completeness=95"):
        load_checks(threshold_overrides={"completeness": 95})


def test_thresholds_must_name_every_dimension_and_names_must_be_unique():
    with pytest.raises(CheckError, match="add freshness"):
        parse_checks({"thresholds": {d: 1 for d in DIMENSIONS[:-1]}, "check": []}, "t.toml")
    spec = {"name": "c", "dimension": "validity", "table": "t", "kind": "rule", "condition": "true"}
    with pytest.raises(CheckError, match="two checks are named 'c'"):
        parse_checks({"thresholds": THRESHOLDS, "check": [spec, spec]}, "t.toml")


def test_a_missing_or_broken_file_says_so(tmp_path):
    with pytest.raises(CheckError, match="no such checks file"):
        load_checks(tmp_path / "none.toml")
    (tmp_path / "bad.toml").write_text("[[check]\n")
    with pytest.raises(CheckError, match="not valid TOML"):
        load_checks(tmp_path / "bad.toml")


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("select 1 as checked_rows", "must return one row with checked_rows and passing_rows"),
        ("select 1 as checked_rows, 2 as passing_rows", "counted 2 passing of 1 checked rows"),
    ],
)
def test_a_sql_check_returning_the_wrong_shape_names_the_fix(clean, sql, message):
    [check] = one(kind="sql", sql=sql, condition=None)
    with pytest.raises(CheckError, match=message):
        run_checks([check], clean)
