-- Staging: one ingest date of processed customers, columns in contract order (COPY maps by position).
-- A temporary table of the load's session: the build, run next in the same session, reads it.
-- [load]
create temp table stg_customers (
    customer_id bigint encode az64,
    first_name varchar(100) encode zstd,
    last_name varchar(100) encode zstd,
    email varchar(256) encode zstd,
    phone varchar(40) encode zstd,
    address varchar(256) encode zstd,
    city varchar(100) encode zstd,
    state varchar(100) encode zstd,
    postal_code varchar(20) encode zstd,
    country varchar(100) encode zstd,
    signup_date date encode az64,
    segment varchar(32) encode zstd,
    updated_at timestamp encode az64,
    ingest_date date encode az64
)
diststyle even;

copy stg_customers
from 's3://${processed_bucket}/_manifests/customers/ingest_date=${ingest_date}/manifest.json'
iam_role '${copy_iam_role}'
format as parquet
manifest;

-- a customer changed twice in one day keeps only the day's last state
delete from stg_customers
using stg_customers as newer
where newer.customer_id = stg_customers.customer_id
  and newer.updated_at > stg_customers.updated_at;
