"""Property: whatever a producer sends, the ETL's rules (Spark, no storage) lose no row, give every
rejected row a rule and a reason, and accept only rows within every limit of the contract, so no
accepted row can fail the warehouse load (tests/unit/warehouse/test_contract_limits.py ties the limits
to the DDL; tests/integration/test_contract_property.py runs the whole way, with fewer examples).

Each example is one batch of 10 to 40 random rows of one entity (contract_rows): a batch costs a few
Spark jobs (seconds) and its rows little, so the examples are few and large."""

from __future__ import annotations

import datetime as dt

import pytest
from contract_rows import limits_broken, rows_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecomdwh.contracts import ENTITIES
from etl.clean import accepted_rows, batch_rules, check_batch, rejected_rows, with_outcome
from etl.schemas import SOURCE_LINE, raw_schema

AS_OF = dt.date(2026, 1, 1)
LANDED_AT = dt.datetime(2026, 1, 1, 3, 0)  # when the batch's one file arrived
EXAMPLES_PER_ENTITY = 5


@pytest.mark.parametrize("entity", sorted(ENTITIES))
@settings(
    max_examples=EXAMPLES_PER_ENTITY,
    deadline=None,  # a batch is Spark jobs: seconds, and slower on a busy machine
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_every_row_is_accepted_within_the_limits_or_rejected_with_a_rule(spark, known_keys, entity, data):
    contract = ENTITIES[entity]
    rows = data.draw(rows_for(entity, min_size=10, max_size=40), label="rows")
    raw = spark.createDataFrame(
        [
            (*[row[name] for name in contract.column_names], None, "batch", line, LANDED_AT)
            for line, row in enumerate(rows, start=2)
        ],
        raw_schema(contract),
    )
    rules = batch_rules(contract, as_of=AS_OF)
    outcome = with_outcome(check_batch(raw, contract, rules, known_keys=known_keys), contract, rules).cache()
    try:
        accepted = [r.asDict() for r in accepted_rows(outcome, contract, as_of=AS_OF).collect()]
        rejected = rejected_rows(outcome, contract, rules, as_of=AS_OF).select(SOURCE_LINE, "rule", "reason")
        rejected = rejected.collect()
    finally:
        outcome.unpersist()

    assert len(accepted) + len(rejected) == len(rows), "a row was lost or doubled"
    assert [r for r in rejected if r["rule"] is None or r["reason"] is None] == []
    assert len({tuple(r[k] for k in contract.business_key) for r in accepted}) == len(accepted), (
        "duplicate kept"
    )
    assert {i: broken for i, row in enumerate(accepted) if (broken := limits_broken(contract, row))} == {}
