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
        (["--JOB_NAME", "etl", "--ingest_date", "2026-W02-1"], "'2026-W02-1' is not a date; use YYYY-MM-DD"),
        (["--JOB_NAME", "etl", "--ingest_date", "20260102"], "'20260102' is not a date; use YYYY-MM-DD"),
        (["--JOB_NAME", "etl", "--ingest_date", "2026-02-30"], "'2026-02-30' is not a date; use YYYY-MM-DD"),
        (["--JOB_NAME", "etl", "--max_quarantine_ratio", "nan"], "'nan' is not a number from 0 to 1"),
        (["--JOB_NAME", "etl", "--max_quarantine_ratio", "inf"], "'inf' is not a number from 0 to 1"),
        (["--JOB_NAME", "etl", "--max_quarantine_ratio", "1.5"], "'1.5' is not a number from 0 to 1"),
        (["--JOB_NAME", "etl", "--max_quarantine_ratio", "-0.1"], "'-0.1' is not a number from 0 to 1"),
        (["--JOB_NAME", "etl", "--entities", "orders,refunds"], "--entities names refunds"),
        (["--JOB_NAME", "etl", "--max_quarantine_ratio", "lots"], "'lots' is not a number from 0 to 1"),
        (["--JOB_NAME", "etl", "--ingest_date"], "--ingest_date needs a value"),
    ],
)
def test_bad_arguments_are_named_with_the_fix(argv, message):
    with pytest.raises(JobArgumentError, match=message):
        parse_job_options(["script.py", *argv])


@pytest.mark.parametrize("ratio", ["0", "1", "0.25", "1e-1"])
def test_ratios_from_0_to_1_are_taken(ratio):
    options = parse_job_options(["script.py", "--JOB_NAME", "etl", "--max_quarantine_ratio", ratio])
    assert options.max_quarantine_ratio == float(ratio)


def test_the_warehouse_jobs_take_the_same_strict_ingest_date(monkeypatch):
    from etl.jobs import data_quality, load_warehouse

    for job in (load_warehouse, data_quality):
        with pytest.raises(JobArgumentError, match="'2026-W02-1' is not a date; use YYYY-MM-DD"):
            job.main(
                ["script.py", "--JOB_NAME", "job", "--pipeline_name", "p", "--ingest_date", "2026-W02-1"]
            )
