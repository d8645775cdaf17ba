# modules/step_functions alone, on the emulator, for tests/integration/test_pipeline_failure_paths.py: the
# pipeline's one ASL definition with small poll and timeout values, around Glue jobs and crawlers the test
# makes (and breaks) itself.
terraform {
  required_version = ">= 1.5.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.80, < 6.0"
    }
  }
}

variable "endpoint" {
  description = "URL of the emulator."
  type        = string
}

variable "name" {
  description = "State machine name (also the Pipeline dimension of its metrics)."
  type        = string
}

variable "etl_job_name" {
  description = "The one ETL job."
  type        = string
}

variable "raw_crawler_name" {
  description = "Crawler of the raw layer."
  type        = string
}

variable "processed_crawler_name" {
  description = "Crawler of the processed layer."
  type        = string
}

variable "metric_namespace" {
  description = "Namespace of the run metrics."
  type        = string
}

variable "job_run_timeout_seconds" {
  description = "Longest wait for a job run."
  type        = number
}

provider "aws" {
  # Credentials: the emulator's, from the environment the test runs Terraform with.
  region                      = "us-east-1"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  max_retries                 = 2

  endpoints {
    cloudwatch     = var.endpoint
    cloudwatchlogs = var.endpoint
    iam            = var.endpoint
    sfn            = var.endpoint
    sns            = var.endpoint
    sts            = var.endpoint
  }
}

resource "aws_sns_topic" "alerts" {
  name = "${var.name}-alerts"
}

resource "aws_cloudwatch_log_group" "pipeline" {
  name = "/aws/vendedlogs/states/${var.name}"
}

resource "aws_iam_role" "pipeline" {
  name = var.name
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "states.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "pipeline" {
  name = var.name
  role = aws_iam_role.pipeline.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["glue:*", "cloudwatch:PutMetricData", "sns:Publish", "redshift-data:*", "logs:*"]
      Resource = "*"
    }]
  })
}

module "pipeline" {
  source = "../../../../infra/terraform/modules/step_functions"

  name                    = var.name
  role_arn                = aws_iam_role.pipeline.arn
  etl_job_names           = [var.etl_job_name]
  warehouse_job_names     = []
  raw_crawler_name        = var.raw_crawler_name
  processed_crawler_name  = var.processed_crawler_name
  redshift_target         = { cluster_identifier = "${var.name}-warehouse" }
  database                = "ecomdwh"
  secret_arn              = format("arn:aws:secretsmanager:us-east-1:123456789012:secret:%s", var.name)
  metric_namespace        = var.metric_namespace
  alerts_topic_arn        = aws_sns_topic.alerts.arn
  log_group_arn           = aws_cloudwatch_log_group.pipeline.arn
  poll_seconds            = 1
  job_run_timeout_seconds = var.job_run_timeout_seconds
}

output "state_machine_arn" {
  description = "ARN of the pipeline state machine."
  value       = module.pipeline.step_functions_state_machine_arn
}

output "alerts_topic_arn" {
  description = "SNS topic the pipeline notifies."
  value       = aws_sns_topic.alerts.arn
}
