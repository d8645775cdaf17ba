"""The AWS Glue runtime when the job runs in Glue; nothing elsewhere (awsglue is imported only if present)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class GlueRun:
    context: Any  # awsglue.context.GlueContext
    job: Any  # awsglue.job.Job

    def commit(self) -> None:
        self.job.commit()


def start_glue_run(job_name: str, arguments: dict[str, str]) -> GlueRun | None:
    try:
        from awsglue.context import GlueContext
        from awsglue.job import Job
        from pyspark.context import SparkContext
    except ImportError:
        return None
    context = GlueContext(SparkContext.getOrCreate())
    job = Job(context)
    job.init(job_name, arguments)
    return GlueRun(context, job)
