environment              = "prod"
redshift_deployment      = "provisioned"
redshift_number_of_nodes = 2
alert_email              = "data-oncall@example.com" # replace with the team's on-call address
hardening = {
  cloudtrail   = true
  config       = true
  guardduty    = true
  security_hub = true
  backup       = true
  replication  = true
  # envs/bootstrap's outputs dr_bucket_arn and dr_kms_key_arn (a key ARN: IAM does not authorise
  # through alias ARNs). Plan refuses the placeholders, naming the variable.
  replication_destination_bucket_arn  = "arn:aws:s3:::ecomdwh-prod-dr-<account-id>"
  replication_destination_kms_key_arn = "arn:aws:kms:us-west-2:<account-id>:key/<dr-key-id>"
}
