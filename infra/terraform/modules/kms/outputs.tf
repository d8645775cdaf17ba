output "kms_key_arns" {
  description = "Key ARN per purpose (s3, redshift, logs, sns, secrets)."
  value       = { for purpose, key in aws_kms_key.this : purpose => key.arn }
}

output "kms_alias_names" {
  description = "Alias name per purpose."
  value       = { for purpose, alias in aws_kms_alias.this : purpose => alias.name }
}
