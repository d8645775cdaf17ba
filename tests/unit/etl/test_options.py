"""Job arguments in Glue's shape: what Glue passes around ours is ignored, defaults come from config."""

import pytest

from etl.options import ENTITY_ORDER, JobArgumentError, parse_job_options


def test_glue_style_arguments_are_parsed_and_glue_s_own_ignored(monkeypatch):
    monkeypatch.delenv("ECOMDWH_RAW_BUCKET", raising=False)
    argv = ["script.py", "--JOB_NAME", "etl", "--JOB_RUN_ID", "jr_1", "--TempDir", "s3://t/"]
    argv += [
        "--ingest_date",
        "2026-01-02",
        "--processed_bucket=p-bucket",
        "--entities",
        "order_items,customers",
    ]

    options = parse_job_options(argv)

    assert (options.job_name, options.ingest_date, options.processed_bucket) == (
        "etl",
        "2026-01-02",
        "p-bucket",
    )
    assert options.raw_bucket == "ecomdwh-local-raw"
    assert options.entities == ("customers", "order_items")  # referenced entities first
    assert options.max_quarantine_ratio == 0.2


def test_without_ingest_date_every_entity_runs_incrementally():
    options = parse_job_options(["script.py", "--JOB_NAME", "etl"])
    assert (options.ingest_date, options.entities) == (None, ENTITY_ORDER)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "--JOB_NAME is required"),
        (["--JOB_NAME", "etl", "--ingest_date", "01/02/2026"], "use YYYY-MM-DD"),
        (["--JOB_NAME", "etl", "--entities", "orders,refunds"], "--entities names refunds"),
        (["--JOB_NAME", "etl", "--max_quarantine_ratio", "lots"], "is not a number"),
        (["--JOB_NAME", "etl", "--ingest_date"], "--ingest_date needs a value"),
    ],
)
def test_bad_arguments_are_named_with_the_fix(argv, message):
    with pytest.raises(JobArgumentError, match=message):
        parse_job_options(["script.py", *argv])
