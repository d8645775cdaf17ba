-- Data-quality results: one row per check per run (ecomdwh.dq). score = passing_rows / checked_rows
-- (1 when nothing was checked); passed = score >= threshold. Kept for the report's trend.
-- [schema]
create table if not exists dq_results (
    run_id varchar(64) not null encode zstd,
    check_name varchar(128) not null encode zstd,
    dimension varchar(16) not null encode zstd,
    table_name varchar(128) not null encode zstd,
    checked_rows bigint not null encode az64,
    passing_rows bigint not null encode az64,
    score decimal(9, 6) not null encode az64,
    threshold decimal(9, 6) not null encode az64,
    severity varchar(8) not null encode zstd,
    passed boolean not null,
    checked_at timestamp not null encode az64,
    primary key (run_id, check_name)
)
diststyle all
sortkey (checked_at);
