-- Ingest dates the warehouse has loaded: one row per date, written in the same transaction as the
-- date's data, so a load cut off before its commit leaves no row. The runner reads it to refuse a
-- new date older than the newest loaded one (SCD2 history and facts would be applied out of order)
-- and to replay the later dates after a re-run of an older one (ecomdwh/warehouse/runner.py).
-- [schema]
create table if not exists warehouse_loads (
    ingest_date date not null encode az64,
    loaded_at timestamp not null encode az64,
    primary key (ingest_date)
)
diststyle all
sortkey (ingest_date);

-- [load]
delete from warehouse_loads where ingest_date = '${ingest_date}'::date;

insert into warehouse_loads (ingest_date, loaded_at) values ('${ingest_date}'::date, getdate());
