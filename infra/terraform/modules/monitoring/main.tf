data "aws_region" "current" {}

locals {
  pipeline_dimension = { Pipeline = var.state_machine_name }
  alarms = {
    pipeline-failed = {
      description = "A pipeline execution failed"
      namespace   = "AWS/States"
      metric      = "ExecutionsFailed"
      dimensions  = { StateMachineArn = var.state_machine_arn }
    }
    etl-job-failed = {
      description = "A Glue ETL job run of the pipeline ended FAILED, ERROR, TIMEOUT or STOPPED"
      namespace   = var.metric_namespace
      metric      = "EtlJobFailures"
      dimensions  = local.pipeline_dimension
    }
    data-quality-failed = {
      description = "A data-quality check of the warehouse failed"
      namespace   = var.metric_namespace
      metric      = "DataQualityFailures"
      dimensions  = local.pipeline_dimension
    }
  }
}

resource "aws_sns_topic" "this" {
  name              = "${var.name_prefix}-alerts"
  kms_master_key_id = var.kms_key_arns["sns"]
  tags              = var.tags
}

resource "aws_sns_topic_subscription" "email" {
  count = var.alert_email == null ? 0 : 1

  topic_arn = aws_sns_topic.this.arn
  protocol  = "email"
  endpoint  = var.alert_email
}

# Step Functions vended logs must live under /aws/vendedlogs/ to keep the resource policy small.
resource "aws_cloudwatch_log_group" "pipeline" {
  name              = "/aws/vendedlogs/states/${var.state_machine_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arns["logs"]
  tags              = var.tags
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarms

  alarm_name          = "${var.name_prefix}-${each.key}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  dimensions          = each.value.dimensions
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.this.arn]
  tags                = var.tags
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.name_prefix
  dashboard_body = jsonencode({
    widgets = [
      {
        type = "metric", x = 0, y = 0, width = 12, height = 6
        properties = {
          title  = "Pipeline executions"
          region = data.aws_region.current.name
          stat   = "Sum"
          period = 86400
          metrics = [
            ["AWS/States", "ExecutionsSucceeded", "StateMachineArn", var.state_machine_arn],
            ["AWS/States", "ExecutionsFailed", "StateMachineArn", var.state_machine_arn],
          ]
        }
      },
      {
        type = "metric", x = 12, y = 0, width = 12, height = 6
        properties = {
          title  = "ETL job and data-quality failures"
          region = data.aws_region.current.name
          stat   = "Sum"
          period = 86400
          metrics = [
            [var.metric_namespace, "EtlJobFailures", "Pipeline", var.state_machine_name],
            [var.metric_namespace, "DataQualityFailures", "Pipeline", var.state_machine_name],
          ]
        }
      },
      {
        type = "alarm", x = 0, y = 6, width = 24, height = 3
        properties = {
          title  = "Alarms"
          alarms = [for alarm in aws_cloudwatch_metric_alarm.this : alarm.arn]
        }
      },
    ]
  })
}

resource "aws_cloudwatch_event_rule" "schedule" {
  name                = "${var.name_prefix}-daily"
  description         = "Starts the ecomdwh pipeline"
  schedule_expression = var.schedule_expression
  state               = var.schedule_enabled ? "ENABLED" : "DISABLED"
  tags                = var.tags
}

resource "aws_cloudwatch_event_target" "pipeline" {
  rule     = aws_cloudwatch_event_rule.schedule.name
  arn      = var.state_machine_arn
  role_arn = var.scheduler_role_arn
}
