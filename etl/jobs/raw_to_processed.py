"""Glue job: raw landed files -> processed Parquet and quarantine, every entity in dependency order.

    python etl/jobs/raw_to_processed.py --JOB_NAME raw_to_processed [--ingest_date 2026-01-01]
        [--raw_bucket B] [--processed_bucket B] [--entities orders,order_items] [--max_quarantine_ratio 0.2]

Without --ingest_date it processes every landed batch the watermark has not seen.
"""

from __future__ import annotations

import dataclasses
import logging
import sys

from etl.glue import start_glue_run
from etl.options import parse_job_options
from etl.pipeline import run
from etl.spark import get_spark


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv if argv is None else argv
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    options = parse_job_options(argv)
    glue_run = start_glue_run(options.job_name, dataclasses.asdict(options))
    spark = get_spark(glue_run.context if glue_run else None, app_name=options.job_name)
    run(spark, options)
    if glue_run:
        glue_run.commit()


if __name__ == "__main__":
    main()
