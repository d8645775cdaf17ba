output "iam_role_arns" {
  description = "Role ARN per use: glue-job, glue-crawler, redshift, pipeline, scheduler."
  value       = { for use, role in aws_iam_role.this : use => role.arn }
}
