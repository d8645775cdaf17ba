output "hardening_cloudtrail_arn" {
  description = "ARN of the CloudTrail trail (null when off)."
  value       = one(aws_cloudtrail.this[*].arn)
}

output "hardening_guardduty_detector_id" {
  description = "GuardDuty detector ID (null when off)."
  value       = one(concat(aws_guardduty_detector.this[*].id, data.aws_guardduty_detector.this[*].id))
}

output "hardening_backup_vault_arn" {
  description = "Backup vault ARN (null when off)."
  value       = one(aws_backup_vault.this[*].arn)
}
