"""Glue Python shell job: load one ingest date of processed Parquet into the warehouse.

    python etl/jobs/load_warehouse.py --JOB_NAME load_warehouse --ingest_date 2026-01-02
        [--processed_bucket B] [--redshift_cluster_id C | --redshift_workgroup W] [--redshift_database D]
        [--redshift_secret_arn S] [--copy_role_arn R]

Creates the schema if needed, then runs the day's staging COPY, SCD2 dimensions and facts as one
Redshift Data API batch (one transaction). Idempotent per ingest date, so a re-run, or both
orchestration paths running the same day, never double-loads.
"""

from __future__ import annotations

import logging
import os
import sys
from datetime import date

from ecomdwh.warehouse.runner import apply_schema, load_day
from etl.options import JobArgumentError, resolved_options

# Job argument -> the environment variable ecomdwh.config / ecomdwh.warehouse.runner read.
ARGUMENT_ENVIRONMENT = {
    "processed_bucket": "ECOMDWH_PROCESSED_BUCKET",
    "redshift_cluster_id": "ECOMDWH_REDSHIFT_CLUSTER_ID",
    "redshift_workgroup": "ECOMDWH_REDSHIFT_WORKGROUP",
    "redshift_database": "ECOMDWH_REDSHIFT_DATABASE",
    "redshift_secret_arn": "ECOMDWH_REDSHIFT_SECRET_ARN",
    "copy_role_arn": "ECOMDWH_REDSHIFT_COPY_ROLE_ARN",
}


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv if argv is None else argv
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    present = [name for name in ARGUMENT_ENVIRONMENT if f"--{name}" in argv]
    args = resolved_options(argv, ["JOB_NAME", "ingest_date", *present])
    try:
        ingest_date = date.fromisoformat(args["ingest_date"])
    except (KeyError, ValueError):
        raise JobArgumentError("--ingest_date YYYY-MM-DD is required (the day to load)") from None
    os.environ.update({ARGUMENT_ENVIRONMENT[name]: args[name] for name in present if args[name]})
    apply_schema()
    load_day(ingest_date)
    logging.getLogger("load_warehouse").info("loaded ingest date %s into the warehouse", ingest_date)


if __name__ == "__main__":
    main()
