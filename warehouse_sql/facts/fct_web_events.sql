-- Web event fact. Grain: one event (event_id). customer_sk / product_sk are the versions valid at
-- event_ts, also after a version opens before events already loaded (they are re-keyed); -1 for
-- anonymous visitors, events without a product, and unknown keys.
-- [schema]
create table if not exists fct_web_events (
    event_id varchar(64) not null encode zstd,
    session_id varchar(64) not null encode zstd,
    event_date_key integer not null encode az64,
    event_ts timestamp not null encode az64,
    customer_sk bigint not null encode az64,
    product_sk bigint not null encode az64,
    customer_id bigint encode az64,
    product_id bigint encode az64,
    order_id bigint encode az64,
    anonymous_id varchar(64) encode zstd,
    event_type varchar(32) not null encode zstd,
    device varchar(16) encode zstd,
    referrer varchar(1024) encode zstd,
    page_url varchar(1024) encode zstd,
    primary key (event_id)
)
distkey (session_id)
sortkey (event_date_key);

-- [load]
-- The days of the rows about to be replaced, or re-keyed to another product version (the update
-- below): fct_product_daily rebuilds those too (rows can move).
create temp table fct_web_events_replaced_days as
select f.event_date_key as date_key
from fct_web_events as f
join stg_web_events as s on s.event_id = f.event_id
union
select f.event_date_key
from fct_web_events as f
join stg_product_versions as s
    on s.product_id = f.product_id
    and s.previous_product_sk = f.product_sk
    and s.opens_version_at <= f.event_ts;

delete from fct_web_events
using stg_web_events as s
where fct_web_events.event_id = s.event_id;

-- Events loaded earlier that now fall in a customer or product version this load opened take it
-- (before the insert, as in fct_orders).
update fct_web_events
set customer_sk = rekeyed.customer_sk, product_sk = rekeyed.product_sk
from (
    select
        e.event_id,
        coalesce(c.customer_sk, e.customer_sk) as customer_sk,
        coalesce(p.product_sk, e.product_sk) as product_sk
    from fct_web_events as e
    left join stg_customer_versions as sc
        on sc.customer_id = e.customer_id
        and sc.previous_customer_sk = e.customer_sk
        and sc.opens_version_at <= e.event_ts
    left join dim_customer as c on c.customer_id = sc.customer_id and c.is_current
    left join stg_product_versions as sp
        on sp.product_id = e.product_id
        and sp.previous_product_sk = e.product_sk
        and sp.opens_version_at <= e.event_ts
    left join dim_product as p on p.product_id = sp.product_id and p.is_current
    where sc.customer_id is not null or sp.product_id is not null
) as rekeyed
where fct_web_events.event_id = rekeyed.event_id;

insert into fct_web_events (
    event_id, session_id, event_date_key, event_ts, customer_sk, product_sk, customer_id, product_id,
    order_id, anonymous_id, event_type, device, referrer, page_url
)
select
    e.event_id,
    e.session_id,
    extract(year from e.event_ts) * 10000 + extract(month from e.event_ts) * 100 + extract(day from e.event_ts),
    e.event_ts,
    coalesce(c.customer_sk, -1),
    coalesce(p.product_sk, -1),
    e.customer_id,
    e.product_id,
    e.order_id,
    e.anonymous_id,
    e.event_type,
    e.device,
    e.referrer,
    e.page_url
from stg_web_events as e
left join dim_customer as c
    on c.customer_id = e.customer_id and e.event_ts >= c.valid_from and e.event_ts < c.valid_to
left join dim_product as p
    on p.product_id = e.product_id and e.event_ts >= p.valid_from and e.event_ts < p.valid_to;
