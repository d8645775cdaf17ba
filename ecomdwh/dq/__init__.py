"""Data quality: checks as data (warehouse_sql/dq/checks.toml), run through the Redshift Data API,
stored in dq_results, published to CloudWatch, alerted over SNS."""
