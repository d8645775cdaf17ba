-- Staging: one ingest date of processed products, columns in contract order (COPY maps by position).
-- A temporary table of the load's session: the build, run next in the same session, reads it.
-- [load]
create temp table stg_products (
    product_id bigint encode az64,
    sku varchar(64) encode zstd,
    product_name varchar(256) encode zstd,
    category varchar(100) encode zstd,
    subcategory varchar(100) encode zstd,
    brand varchar(100) encode zstd,
    price decimal(12, 2) encode az64,
    cost decimal(12, 2) encode az64,
    is_active boolean,
    updated_at timestamp encode az64,
    ingest_date date encode az64
)
diststyle even;

copy stg_products
from 's3://${processed_bucket}/_manifests/products/ingest_date=${ingest_date}/manifest.json'
iam_role '${copy_iam_role}'
format as parquet
manifest;

-- a product changed twice in one day keeps only the day's last state
delete from stg_products
using stg_products as newer
where newer.product_id = stg_products.product_id
  and newer.updated_at > stg_products.updated_at;
