locals {
  provisioned = var.deployment == "provisioned" ? 1 : 0
  serverless  = var.deployment == "serverless" ? 1 : 0
}

resource "aws_redshift_subnet_group" "this" {
  count = local.provisioned

  name       = var.name
  subnet_ids = var.subnet_ids
  tags       = var.tags
}

resource "aws_redshift_parameter_group" "this" {
  count = local.provisioned

  name   = var.name
  family = "redshift-1.0"

  parameter {
    name  = "require_ssl"
    value = "true"
  }
  parameter {
    name  = "enable_user_activity_logging"
    value = "true"
  }
  tags = var.tags
}

resource "aws_redshift_cluster" "this" {
  #checkov:skip=CKV_AWS_71:Audit logging is the aws_redshift_logging resource below; the cluster's own logging block is deprecated.
  count = local.provisioned

  cluster_identifier                  = var.name
  node_type                           = var.node_type
  cluster_type                        = var.number_of_nodes > 1 ? "multi-node" : "single-node"
  number_of_nodes                     = var.number_of_nodes
  database_name                       = var.database_name
  master_username                     = var.admin_username
  manage_master_password              = true
  master_password_secret_kms_key_id   = var.secrets_kms_key_arn
  encrypted                           = true
  kms_key_id                          = var.kms_key_arn
  publicly_accessible                 = false
  enhanced_vpc_routing                = true
  cluster_subnet_group_name           = aws_redshift_subnet_group.this[0].name
  cluster_parameter_group_name        = aws_redshift_parameter_group.this[0].name
  vpc_security_group_ids              = [var.security_group_id]
  iam_roles                           = [var.iam_role_arn]
  default_iam_role_arn                = var.iam_role_arn
  automated_snapshot_retention_period = var.snapshot_retention_days
  manual_snapshot_retention_period    = var.snapshot_retention_days
  preferred_maintenance_window        = var.maintenance_window
  skip_final_snapshot                 = var.skip_final_snapshot
  final_snapshot_identifier           = var.skip_final_snapshot ? null : "${var.name}-final"
  tags                                = var.tags
}

resource "aws_redshift_logging" "this" {
  count = local.provisioned

  cluster_identifier   = aws_redshift_cluster.this[0].id
  log_destination_type = "s3"
  bucket_name          = var.audit_log_bucket
  s3_key_prefix        = "redshift-audit/${var.name}/"
}

resource "aws_redshiftserverless_namespace" "this" {
  count = local.serverless

  namespace_name                   = var.name
  db_name                          = var.database_name
  admin_username                   = var.admin_username
  manage_admin_password            = true
  admin_password_secret_kms_key_id = var.secrets_kms_key_arn
  kms_key_id                       = var.kms_key_arn
  iam_roles                        = [var.iam_role_arn]
  default_iam_role_arn             = var.iam_role_arn
  log_exports                      = ["useractivitylog", "userlog", "connectionlog"]
  tags                             = var.tags
}

resource "aws_redshiftserverless_workgroup" "this" {
  count = local.serverless

  namespace_name       = aws_redshiftserverless_namespace.this[0].namespace_name
  workgroup_name       = var.name
  base_capacity        = var.serverless_base_capacity
  subnet_ids           = var.subnet_ids
  security_group_ids   = [var.security_group_id]
  publicly_accessible  = false
  enhanced_vpc_routing = true

  config_parameter {
    parameter_key   = "require_ssl"
    parameter_value = "true"
  }
  tags = var.tags

  lifecycle {
    # CreateWorkgroup refuses subnets spanning fewer than three availability zones; say so at plan time.
    precondition {
      condition     = length(distinct(var.subnet_availability_zones)) >= 3
      error_message = "A Redshift Serverless workgroup needs subnets in at least 3 availability zones; subnet_ids span ${length(distinct(var.subnet_availability_zones))} (${join(", ", distinct(var.subnet_availability_zones))}). Fix: raise the vpc module's az_count to 3 or more."
    }
  }
}
