output "raw_validation_function_name" {
  description = "Name of the validation function."
  value       = aws_lambda_function.this.function_name
}

output "raw_validation_function_arn" {
  description = "ARN of the validation function."
  value       = aws_lambda_function.this.arn
}

output "raw_validation_log_group_name" {
  description = "Log group holding one JSON verdict line per validated object."
  value       = aws_cloudwatch_log_group.this.name
}

output "raw_validation_metric_namespace" {
  description = "CloudWatch namespace of ObjectsAccepted / ObjectsRejected (dimension Entity)."
  value       = local.metric_namespace
}
