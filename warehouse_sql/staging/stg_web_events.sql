-- Staging: one ingest date of processed web events (deduplicated by ETL), in contract order.
-- A temporary table of the load's session: the build, run next in the same session, reads it.
-- [load]
create temp table stg_web_events (
    event_id varchar(64) encode zstd,
    session_id varchar(64) encode zstd,
    customer_id bigint encode az64,
    anonymous_id varchar(64) encode zstd,
    event_type varchar(32) encode zstd,
    event_ts timestamp encode az64,
    product_id bigint encode az64,
    order_id bigint encode az64,
    page_url varchar(1024) encode zstd,
    device varchar(16) encode zstd,
    referrer varchar(1024) encode zstd,
    ingest_date date encode az64
)
diststyle even;

copy stg_web_events
from 's3://${processed_bucket}/_manifests/web_events/ingest_date=${ingest_date}/manifest.json'
iam_role '${copy_iam_role}'
format as parquet
manifest;
