-- Load reconciliation: for each loaded ingest date and fact entity, the rows staged and how many of
-- them the fact table holds after the load. Written in the day's build transaction, while the
-- session's staging tables still exist; the data-quality check `staged_rows_loaded` reads it later
-- (staging tables end with the load's session, so no later check can read them).
-- [schema]
create table if not exists load_reconciliation (
    ingest_date date not null encode az64,
    entity varchar(32) not null encode zstd,
    staged_rows bigint not null encode az64,
    loaded_rows bigint not null encode az64,
    primary key (ingest_date, entity)
)
diststyle all
sortkey (ingest_date);

-- [load]
delete from load_reconciliation where ingest_date = '${ingest_date}'::date;

insert into load_reconciliation (ingest_date, entity, staged_rows, loaded_rows)
select '${ingest_date}'::date, 'orders', count(*), count(f.order_id)
from stg_orders as s
left join fct_orders as f on f.order_id = s.order_id
union all
select '${ingest_date}'::date, 'order_items', count(*), count(f.order_id)
from stg_order_items as s
left join fct_order_items as f on f.order_id = s.order_id and f.line_number = s.line_number
union all
select '${ingest_date}'::date, 'web_events', count(*), count(f.event_id)
from stg_web_events as s
left join fct_web_events as f on f.event_id = s.event_id;
