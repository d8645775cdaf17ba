environment         = "dev"
redshift_deployment = "serverless" # pay per query; the 02:00 run is the only load
ephemeral           = true
