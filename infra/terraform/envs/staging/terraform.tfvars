environment              = "staging"
redshift_deployment      = "provisioned" # same shape as prod
redshift_number_of_nodes = 1
