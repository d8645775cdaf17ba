locals {
  metrics = { metric_namespace = var.metric_namespace, pipeline_name = var.name }
  # Every loop polls every poll_seconds and gives up after its timeout: at most this many polls.
  loop = { poll_seconds = var.poll_seconds, api_timeout_seconds = var.api_timeout_seconds }
  # Start a Glue job run for an ingest date and poll it to the end: the item processor of both job Maps.
  job_runner = templatefile("${path.module}/job_runner.asl.json.tftpl", merge(local.metrics, local.loop, {
    timeout_seconds = var.job_run_timeout_seconds
    max_polls       = ceil(var.job_run_timeout_seconds / var.poll_seconds)
  }))
  # Start a crawler and poll it until its crawl ends: the item processor of both crawl Maps.
  crawler_runner = templatefile("${path.module}/crawler_runner.asl.json.tftpl", merge(local.loop, {
    timeout_seconds = var.crawler_timeout_seconds
    max_polls       = ceil(var.crawler_timeout_seconds / var.poll_seconds)
  }))
  # The one ASL source of the pipeline; the local target renders the same template.
  definition = templatefile("${path.module}/pipeline.asl.json.tftpl", {
    etl_job_names             = jsonencode(var.etl_job_names)
    warehouse_job_names       = jsonencode(var.warehouse_job_names)
    job_runner                = local.job_runner
    crawler_runner            = local.crawler_runner
    raw_crawler_name          = var.raw_crawler_name
    processed_crawler_name    = var.processed_crawler_name
    redshift_target_key       = var.redshift_target.cluster_identifier != null ? "ClusterIdentifier" : "WorkgroupName"
    redshift_target           = coalesce(var.redshift_target.cluster_identifier, var.redshift_target.workgroup_name)
    database                  = var.database
    secret_arn                = var.secret_arn
    metric_namespace          = var.metric_namespace
    pipeline_name             = var.name
    alerts_topic_arn          = var.alerts_topic_arn
    api_timeout_seconds       = var.api_timeout_seconds
    statement_timeout_seconds = var.statement_timeout_seconds
    statement_max_polls       = var.statement_timeout_seconds # its loop waits 1 s between polls
    execution_timeout_seconds = var.execution_timeout_seconds
  })
}

resource "aws_sfn_state_machine" "this" {
  name       = var.name
  role_arn   = var.role_arn
  type       = "STANDARD"
  definition = local.definition

  logging_configuration {
    log_destination        = "${var.log_group_arn}:*"
    include_execution_data = true
    level                  = "ALL"
  }

  tracing_configuration {
    enabled = true
  }

  tags = var.tags
}
