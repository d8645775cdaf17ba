"""A run's results land in dq_results, one row per check, typed, through the bound-parameter insert."""

from datetime import datetime
from decimal import Decimal

from clean_warehouse import AS_OF

from ecomdwh.dq.checks import load_checks
from ecomdwh.dq.runner import run_checks, store_results


def test_each_run_stores_one_typed_row_per_check(clean):
    clean.execute("update dim_customer set email = null where customer_id in (1, 2)")
    checks = load_checks()
    first = run_checks(checks, clean, as_of=AS_OF)
    second = run_checks(checks, clean, as_of=AS_OF)
    store_results(first, clean)
    store_results(second, clean)

    rows = clean.query(
        "select * from dq_results where check_name = 'customer_required_fields' order by checked_at"
    )
    assert [r["run_id"] for r in rows] == [first.run_id, second.run_id]
    assert rows[0] | {"run_id": None, "checked_at": None} == {
        "run_id": None,
        "check_name": "customer_required_fields",
        "dimension": "completeness",
        "table_name": "dim_customer",
        "checked_rows": 20,
        "passing_rows": 18,
        "score": Decimal("0.900000"),
        "threshold": Decimal("0.950000"),
        "severity": "error",
        "passed": False,
        "checked_at": None,
    }
    assert isinstance(rows[0]["checked_at"], datetime) and rows[0]["checked_at"] < rows[1]["checked_at"]
    counts = clean.query("select run_id, count(*) as checks from dq_results group by run_id order by run_id")
    assert {r["checks"] for r in counts} == {len(checks)}
