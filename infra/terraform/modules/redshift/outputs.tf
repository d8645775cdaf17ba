output "redshift_deployment" {
  description = "provisioned or serverless."
  value       = var.deployment
}

output "redshift_cluster_identifier" {
  description = "Cluster identifier for Redshift Data calls (null for Serverless)."
  value       = one(aws_redshift_cluster.this[*].cluster_identifier)
}

output "redshift_workgroup_name" {
  description = "Workgroup name for Redshift Data calls (null for provisioned)."
  value       = one(aws_redshiftserverless_workgroup.this[*].workgroup_name)
}

output "redshift_database_name" {
  description = "Warehouse database."
  value       = var.database_name
}

output "redshift_admin_secret_arn" {
  description = "Secrets Manager secret with the admin credentials, managed by Redshift."
  value = (var.deployment == "provisioned"
    ? one(aws_redshift_cluster.this[*].master_password_secret_arn)
    : one(aws_redshiftserverless_namespace.this[*].admin_password_secret_arn)
  )
}
