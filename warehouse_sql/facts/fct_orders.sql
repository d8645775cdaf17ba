-- Order fact. Grain: one order (order_id), its latest status.
-- customer_sk is the customer version valid at order_ts (-1 when unknown), also after a version opens
-- before orders already loaded (they are re-keyed, as are orphans once their customer arrives); item measures add up
-- the order's lines in fct_order_items, also lines that come later without the order. is_revenue
-- is false for cancelled and returned orders, which the sales marts leave out.
-- order_total_amount = line net amounts - order discount + shipping.
-- [schema]
create table if not exists fct_orders (
    order_id bigint not null encode az64,
    order_date_key integer not null encode az64,
    order_ts timestamp not null encode az64,
    customer_sk bigint not null encode az64,
    customer_id bigint encode az64,
    geography_sk bigint not null encode az64,
    channel_sk bigint not null encode az64,
    payment_method varchar(32) encode zstd,
    status varchar(16) encode zstd,
    is_revenue boolean not null,
    item_count integer not null encode az64,
    units bigint not null encode az64,
    items_net_amount decimal(14, 2) not null encode az64,
    discount_amount decimal(12, 2) not null encode az64,
    shipping_amount decimal(12, 2) not null encode az64,
    order_total_amount decimal(14, 2) not null encode az64,
    primary key (order_id)
)
distkey (order_id)
sortkey (order_date_key);

-- [load]
-- The days of the rows about to be replaced: fct_product_daily rebuilds those too (rows can move).
create temp table fct_orders_replaced_days as
select distinct f.order_date_key as date_key
from fct_orders as f
join stg_orders as s on s.order_id = f.order_id;

delete from fct_orders
using stg_orders as s
where fct_orders.order_id = s.order_id;

-- Orders loaded earlier that now fall in a version this load opened (a back-dated change, a customer
-- arriving after its orders) take it: every order keys the version valid at its order_ts. Before the
-- insert, whose rows are keyed right already: so it scans committed rows only (DuckDB scans rows its own
-- transaction wrote far more slowly; on a first build the table is empty).
update fct_orders
set customer_sk = c.customer_sk
from stg_customer_versions as s, dim_customer as c
where s.customer_id = fct_orders.customer_id
  and s.previous_customer_sk = fct_orders.customer_sk
  and s.opens_version_at <= fct_orders.order_ts
  and c.customer_id = s.customer_id
  and c.is_current;

insert into fct_orders (
    order_id, order_date_key, order_ts, customer_sk, customer_id, geography_sk, channel_sk,
    payment_method, status, is_revenue, item_count, units, items_net_amount, discount_amount,
    shipping_amount, order_total_amount
)
select
    o.order_id,
    extract(year from o.order_ts) * 10000 + extract(month from o.order_ts) * 100 + extract(day from o.order_ts),
    o.order_ts,
    coalesce(c.customer_sk, -1),
    o.customer_id,
    coalesce(g.geography_sk, -1),
    coalesce(ch.channel_sk, -1),
    o.payment_method,
    o.status,
    o.status not in ('cancelled', 'returned'),
    coalesce(lines.item_count, 0),
    coalesce(lines.units, 0),
    coalesce(lines.items_net_amount, 0),
    o.discount_amount,
    o.shipping_amount,
    coalesce(lines.items_net_amount, 0) - o.discount_amount + o.shipping_amount
from stg_orders as o
left join dim_customer as c
    on c.customer_id = o.customer_id and o.order_ts >= c.valid_from and o.order_ts < c.valid_to
left join dim_geography as g
    on g.country = o.shipping_country
    and g.state = coalesce(o.shipping_state, '')
    and g.city = coalesce(o.shipping_city, '')
left join dim_channel as ch
    on ch.channel_name = o.channel
left join (
    select order_id, count(*) as item_count, sum(quantity) as units, sum(net_amount) as items_net_amount
    from fct_order_items
    where order_id in (select order_id from stg_orders)
    group by order_id
) as lines
    on lines.order_id = o.order_id;

-- Orders loaded earlier whose lines came without them (fct_order_items): totals follow the lines.
update fct_orders
set item_count = lines.item_count,
    units = lines.units,
    items_net_amount = lines.items_net_amount,
    order_total_amount = lines.items_net_amount - fct_orders.discount_amount + fct_orders.shipping_amount
from (
    select order_id, count(*) as item_count, sum(quantity) as units, sum(net_amount) as items_net_amount
    from fct_order_items
    where order_id in (select order_id from fct_order_items_loaded_orders)
    group by order_id
) as lines
where fct_orders.order_id = lines.order_id;
