"""PySpark ETL: raw landed files -> typed, cleaned, deduplicated Parquet in the processed bucket.

Modules: `schemas` (Spark schemas built from ecomdwh.contracts), `transforms` (pure DataFrame
functions), `rules` (validation rules per entity), `io` (raw reads, committed writes, audit,
watermark), `spark` (the local SparkSession), `pipeline` (one batch of one entity, end to end),
`jobs/` (Glue job entrypoints: wiring only).
"""
