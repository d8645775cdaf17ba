"""Glue job arguments that configure the warehouse client, applied to the job's environment.

A Glue job gets its settings as `--name value` arguments (Terraform sets them as default arguments);
ecomdwh.config and ecomdwh.warehouse.runner read environment variables. This is the one mapping
between the two, shared by the jobs that talk to Redshift.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from etl.options import resolved_options

WAREHOUSE_ARGUMENTS = {
    "processed_bucket": "ECOMDWH_PROCESSED_BUCKET",
    "redshift_cluster_id": "ECOMDWH_REDSHIFT_CLUSTER_ID",
    "redshift_workgroup": "ECOMDWH_REDSHIFT_WORKGROUP",
    "redshift_database": "ECOMDWH_REDSHIFT_DATABASE",
    "redshift_secret_arn": "ECOMDWH_REDSHIFT_SECRET_ARN",
    "copy_role_arn": "ECOMDWH_REDSHIFT_COPY_ROLE_ARN",
    "alerts_topic_arn": "ECOMDWH_ALERTS_TOPIC_ARN",
    "metric_namespace": "ECOMDWH_METRIC_NAMESPACE",
    "pipeline_name": "ECOMDWH_PIPELINE_NAME",
}


def job_arguments(argv: Sequence[str], required: Sequence[str]) -> dict[str, str]:
    """Resolves `required` plus whichever warehouse arguments were passed, and exports the latter."""
    present = [name for name in WAREHOUSE_ARGUMENTS if f"--{name}" in argv]
    args = resolved_options(argv, list(dict.fromkeys([*required, *present])))  # each name once (argparse)
    os.environ.update({WAREHOUSE_ARGUMENTS[name]: args[name] for name in present if args[name]})
    return args
