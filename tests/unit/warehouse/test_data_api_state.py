"""The emulator's Redshift Data statements are plain data: they pickle with the moto backends, and a
statement cut off by a restart reads as FAILED with the reason instead of running forever."""

import pickle
from datetime import datetime
from decimal import Decimal

from emulation.duckdb_engine import Outcome
from emulation.patches import redshift_data
from emulation.patches.redshift_data import DataStatement, _field


def _statement(statuses, live=True, ended=None):
    statement = DataStatement(
        id="0b8c9f5e-1111-4222-8333-944455556666",
        sqls=["select 1"] * len(statuses),
        is_batch=len(statuses) > 1,
        database="dev",
        cluster_identifier="c",
        workgroup_name=None,
        db_user="awsuser",
        secret_arn=None,
        statement_name=None,
        parameters=None,
        outcomes=[Outcome(status=s) for s in statuses],
        ended=all(s in ("FINISHED", "FAILED", "ABORTED") for s in statuses) if ended is None else ended,
    )
    (redshift_data._live_ids.add if live else redshift_data._live_ids.discard)(statement.id)
    return statement


def test_statement_with_results_survives_pickling():
    statement = _statement(["FINISHED"])
    statement.outcomes[0].rows = [(1, Decimal("2.50"), datetime(2026, 1, 1, 9, 30), None)]
    restored = pickle.loads(pickle.dumps(statement))
    assert restored.outcomes[0].rows == statement.outcomes[0].rows
    assert restored.describe() == statement.describe()


def test_batch_status_follows_its_sub_statements():
    assert _statement(["SUBMITTED", "SUBMITTED"]).status == "SUBMITTED"
    assert _statement(["FINISHED", "STARTED"]).status == "STARTED"
    assert _statement(["FINISHED", "FAILED"]).status == "FAILED"
    assert _statement(["FINISHED", "FINISHED"]).status == "FINISHED"


def test_a_statement_is_finished_only_once_its_transaction_has_ended():
    assert _statement(["FINISHED", "FINISHED"], ended=False).status == "STARTED"


def test_statement_cut_off_by_a_restart_before_its_commit_reads_failed():
    assert _statement(["FINISHED"], live=False, ended=False).status == "FAILED"


def test_statement_cut_off_by_a_restart_reads_failed_with_the_reason():
    statement = _statement(["STARTED"], live=False)
    assert statement.status == "FAILED"
    assert "restarted" in statement.error


def test_fields_take_the_data_api_value_kinds():
    assert [_field(v) for v in (None, True, 7, 1.5, Decimal("2.50"), "x")] == [
        {"isNull": True},
        {"booleanValue": True},
        {"longValue": 7},
        {"doubleValue": 1.5},
        {"stringValue": "2.50"},
        {"stringValue": "x"},
    ]
    assert _field(datetime(2026, 1, 1, 9, 30)) == {"stringValue": "2026-01-01 09:30:00"}
