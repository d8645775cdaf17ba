-- Staging: one ingest date of processed orders (deduplicated by ETL), in contract order.
-- A temporary table of the load's session: the build, run next in the same session, reads it.
-- [load]
create temp table stg_orders (
    order_id bigint encode az64,
    customer_id bigint encode az64,
    order_ts timestamp encode az64,
    status varchar(16) encode zstd,
    channel varchar(32) encode zstd,
    payment_method varchar(32) encode zstd,
    shipping_address varchar(256) encode zstd,
    shipping_city varchar(100) encode zstd,
    shipping_state varchar(100) encode zstd,
    shipping_postal_code varchar(20) encode zstd,
    shipping_country varchar(100) encode zstd,
    discount_amount decimal(12, 2) encode az64,
    shipping_amount decimal(12, 2) encode az64,
    updated_at timestamp encode az64,
    ingest_date date encode az64
)
diststyle even;

copy stg_orders
from 's3://${processed_bucket}/_manifests/orders/ingest_date=${ingest_date}/manifest.json'
iam_role '${copy_iam_role}'
format as parquet
manifest;
