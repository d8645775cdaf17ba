output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_private_subnet_ids" {
  description = "Private subnet IDs, one per availability zone."
  value       = aws_subnet.private[*].id
}

output "vpc_private_subnet_azs" {
  description = "Availability zone of each private subnet, in the same order."
  value       = aws_subnet.private[*].availability_zone
}

output "vpc_redshift_security_group_id" {
  description = "Security group for Redshift."
  value       = aws_security_group.redshift.id
}
