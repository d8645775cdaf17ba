-- Staging: one ingest date of processed order lines (deduplicated by ETL), in contract order.
-- A temporary table of the load's session: the build, run next in the same session, reads it.
-- [load]
create temp table stg_order_items (
    order_item_id bigint encode az64,
    order_id bigint encode az64,
    line_number bigint encode az64,
    product_id bigint encode az64,
    quantity bigint encode az64,
    unit_price decimal(12, 2) encode az64,
    discount_amount decimal(12, 2) encode az64,
    updated_at timestamp encode az64,
    ingest_date date encode az64
)
diststyle even;

copy stg_order_items
from 's3://${processed_bucket}/_manifests/order_items/ingest_date=${ingest_date}/manifest.json'
iam_role '${copy_iam_role}'
format as parquet
manifest;
