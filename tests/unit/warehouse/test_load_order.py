"""Days load oldest first: a new date older than the newest loaded one is refused, a re-run of an
older loaded date replays the later dates, and each load records its date in its own transaction."""

from datetime import date

import pytest
import warehouse_scenario as scenario

from ecomdwh.warehouse.runner import OutOfOrderLoad, load_plan

D1, D2, D3 = date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 3)


def test_a_new_latest_date_and_a_rerun_of_the_latest_load_alone():
    assert load_plan(D1, []) == [D1]
    assert load_plan(D3, [D1, D2]) == [D3]
    assert load_plan(D2, [D1, D2]) == [D2]


def test_a_rerun_of_an_older_date_replays_the_later_dates_in_order():
    assert load_plan(D1, [D3, D1, D2]) == [D1, D2, D3]


def test_a_new_date_older_than_the_newest_loaded_is_refused_naming_both_and_the_fix():
    with pytest.raises(OutOfOrderLoad) as refused:
        load_plan(D2, [D1, D3])
    message = str(refused.value)
    assert "ingest date 2026-01-02 is older than 2026-01-03" in message
    assert "oldest first" in message and "rebuild the warehouse" in message


def _fingerprint(warehouse) -> dict[str, list[str]]:
    return {t: sorted(map(repr, warehouse.rows(f"select * from {t}"))) for t in scenario.LOADED_TABLES}


def test_each_load_records_its_date_once(warehouse):
    days = scenario.build()
    for day in (scenario.DAY1, scenario.DAY2, scenario.DAY2):
        warehouse.load_day(day, days[day])
    rows = warehouse.rows("select ingest_date from warehouse_loads order by ingest_date")
    assert [r["ingest_date"] for r in rows] == [scenario.DAY1, scenario.DAY2]


def test_replaying_after_an_older_rerun_restores_the_in_order_result(warehouse):
    days = scenario.build()
    for day in sorted(days):
        warehouse.load_day(day, days[day])
    in_order = _fingerprint(warehouse)
    warehouse.load_day(scenario.DAY1, days[scenario.DAY1])
    assert _fingerprint(warehouse) != in_order, "an older day applied alone rolls newer states back"
    for day in load_plan(scenario.DAY1, sorted(days))[1:]:
        warehouse.load_day(day, days[day])
    assert _fingerprint(warehouse) == in_order
