output "state_bucket" {
  description = "Bucket for backend.hcl of envs/dev|staging|prod."
  value       = aws_s3_bucket.state.bucket
}

output "dr_bucket_arn" {
  description = "Replication destination for prod's hardening.replication_destination_bucket_arn."
  value       = aws_s3_bucket.dr.arn
}

output "dr_kms_key_arn" {
  description = "Key ARN (not alias) encrypting replicas in the DR region, for prod's hardening.replication_destination_kms_key_arn."
  value       = aws_kms_key.dr.arn
}
