output "s3_bucket_names" {
  description = "Bucket name per purpose (raw, processed, scripts, logs)."
  value       = { for purpose, bucket in aws_s3_bucket.this : purpose => bucket.bucket }
}

output "s3_bucket_arns" {
  description = "Bucket ARN per purpose."
  value       = { for purpose, bucket in aws_s3_bucket.this : purpose => bucket.arn }
}
