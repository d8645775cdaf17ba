-- Pipeline run history: one row per state machine execution that reached the warehouse, written by the
-- state machine itself through the Redshift Data API (RecordRun), read by the report.
-- [schema]
create table if not exists pipeline_runs (
    execution_name varchar(128) not null encode zstd,
    ingest_date date not null encode az64,
    status varchar(16) not null encode zstd,
    recorded_at timestamp not null encode az64,
    primary key (execution_name)
)
diststyle all
sortkey (recorded_at);
