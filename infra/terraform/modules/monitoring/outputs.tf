output "monitoring_alerts_topic_arn" {
  description = "SNS topic of pipeline alerts and notifications."
  value       = aws_sns_topic.this.arn
}

output "monitoring_pipeline_log_group_arn" {
  description = "Log group of the state machine's execution history."
  value       = aws_cloudwatch_log_group.pipeline.arn
}

output "monitoring_alarm_names" {
  description = "Alarm name per condition."
  value       = { for key, alarm in aws_cloudwatch_metric_alarm.this : key => alarm.alarm_name }
}

output "monitoring_dashboard_name" {
  description = "CloudWatch dashboard name."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}
