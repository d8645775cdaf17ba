"""Glue Python shell job: load one ingest date of processed Parquet into the warehouse.

    python etl/jobs/load_warehouse.py --JOB_NAME load_warehouse --ingest_date 2026-01-02
        [--processed_bucket B] [--redshift_cluster_id C | --redshift_workgroup W] [--redshift_database D]
        [--redshift_secret_arn S] [--copy_role_arn R]

Creates the schema if needed, then runs the day's staging COPYs as one Redshift Data API batch and its
SCD2 dimensions, facts and marts as another (each one transaction; warehouse_sql/README.md). Idempotent per ingest date, so a re-run, or both
orchestration paths running the same day, never double-loads. Days load oldest first: a new date
older than the newest loaded one fails naming both dates and the fix; a re-run of an older loaded
date replays the later loaded dates after it (ecomdwh/warehouse/runner.py).
"""

from __future__ import annotations

import logging
import sys

from ecomdwh.warehouse.runner import apply_schema, load_day
from etl.options import JobArgumentError, ingest_date_argument
from etl.warehouse_arguments import job_arguments


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv if argv is None else argv
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    args = job_arguments(argv, ["JOB_NAME", "ingest_date"])
    if "ingest_date" not in args:
        raise JobArgumentError("--ingest_date YYYY-MM-DD is required (the day to load)")
    ingest_date = ingest_date_argument(args["ingest_date"])
    apply_schema()
    load_day(ingest_date)
    logging.getLogger("load_warehouse").info("loaded ingest date %s into the warehouse", ingest_date)


if __name__ == "__main__":
    main()
