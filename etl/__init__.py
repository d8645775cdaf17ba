"""PySpark ETL: raw landed files -> typed, cleaned, deduplicated Parquet in the processed bucket.

Modules: `schemas` (Spark schemas built from ecomdwh.contracts), `transforms` (pure DataFrame
functions), `rules` (validation rules per entity), `clean` (a batch's raw rows -> checked, accepted and
rejected rows), `storage` (raw reads, committed writes, processed keys, audit, watermark), `spark` (the
local SparkSession), `pipeline` (the batches of a run, end to end), `options` and `glue` (job arguments
and the Glue runtime), `warehouse_arguments` (Glue arguments -> warehouse client settings), `jobs/`
(Glue job entrypoints: wiring only).
"""
