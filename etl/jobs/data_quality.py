"""Glue Python shell job: the pipeline's data-quality step over the warehouse.

    python etl/jobs/data_quality.py --JOB_NAME data_quality --pipeline_name P [--ingest_date 2026-01-02]
        [--stop_severity error] [--redshift_cluster_id C | --redshift_workgroup W] [--redshift_database D]
        [--redshift_secret_arn S] [--alerts_topic_arn T] [--metric_namespace N]

Runs every check of warehouse_sql/dq/checks.toml through the Redshift Data API, stores the results in
dq_results, publishes CloudWatch metrics and alerts SNS on failures. Freshness is measured against the
end of --ingest_date when given (a replayed day is not stale), else now. Exits non-zero (failing the job
run, and so the pipeline) only when a check at or above --stop_severity failed.
"""

from __future__ import annotations

import logging
import sys

from ecomdwh.dq.step import run_data_quality
from etl.options import JobArgumentError, ingest_date_argument
from etl.warehouse_arguments import job_arguments

# --pipeline_name is the Pipeline dimension of its metrics, the one the DataQualityFailures alarm watches.
# Required: a stack that does not pass it fails the run, instead of publishing a metric no alarm sees.
REQUIRED_ARGUMENTS = ("JOB_NAME", "pipeline_name")


class DataQualityStop(RuntimeError):
    """Checks at or above the stop severity failed; the pipeline must not go on."""


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv if argv is None else argv
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    present = [name for name in ("ingest_date", "stop_severity") if f"--{name}" in argv]
    args = job_arguments(argv, [*REQUIRED_ARGUMENTS, *present])
    if missing := [f"--{name}" for name in REQUIRED_ARGUMENTS if name not in args]:
        raise JobArgumentError(
            f"{', '.join(missing)} required: --pipeline_name is the state machine's name, the Pipeline dimension "
            "the DataQualityFailures alarm watches (Terraform's modules/stack passes it)"
        )
    ingest_date = ingest_date_argument(args["ingest_date"]) if "ingest_date" in args else None
    outcome = run_data_quality(ingest_date=ingest_date, stop_severity=args.get("stop_severity", "error"))
    failed = [f"{r.check.name} ({r.score:.1%} < {r.check.threshold:.0%})" for r in outcome.run.failures]
    logging.getLogger("data_quality").info(
        "%d checks, %d failed: %s", len(outcome.run.results), len(failed), ", ".join(failed) or "none"
    )
    if outcome.stop:
        raise DataQualityStop(
            f"data-quality checks failed at or above the stop severity: {', '.join(failed)}"
        )


if __name__ == "__main__":
    main()
