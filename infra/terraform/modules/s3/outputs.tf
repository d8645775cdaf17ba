# Consumers get a bucket once it is fully set up: services that deliver into the logs bucket (flow
# logs, CloudTrail, Config, Redshift audit) check its policy when they are configured, and
# replication needs versioning on first. Lifecycle rules are left out: nothing waits on them and
# the provider takes about a minute to settle them.
output "s3_bucket_names" {
  description = "Bucket name per purpose (raw, processed, scripts, logs), available once versioning, encryption and policy are in place."
  value       = { for purpose, bucket in aws_s3_bucket.this : purpose => bucket.bucket }

  depends_on = [
    aws_s3_bucket_versioning.this,
    aws_s3_bucket_server_side_encryption_configuration.this,
    aws_s3_bucket_policy.this,
  ]
}

output "s3_bucket_arns" {
  description = "Bucket ARN per purpose, available once versioning, encryption and policy are in place."
  value       = { for purpose, bucket in aws_s3_bucket.this : purpose => bucket.arn }

  depends_on = [
    aws_s3_bucket_versioning.this,
    aws_s3_bucket_server_side_encryption_configuration.this,
    aws_s3_bucket_policy.this,
  ]
}
