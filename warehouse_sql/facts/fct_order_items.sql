-- Order-line fact. Grain: one order line (order_id, line_number).
-- customer_sk and product_sk are the dimension versions valid at the order's order_ts, so history
-- stays right however late a line or a version arrives (lines loaded earlier are re-keyed to a version
-- opened before their order_ts); -1 (unknown member) when no version exists. A line's
-- order header comes from the same ingest date or, for a line sent without its order, from the
-- order's lines loaded earlier; a line whose order is in neither is kept with date_key -1.
-- Re-loading a line replaces it (delete then insert), so a day's load is idempotent.
-- [schema]
create table if not exists fct_order_items (
    order_item_id bigint not null encode az64,
    order_id bigint not null encode az64,
    line_number integer not null encode az64,
    order_date_key integer not null encode az64,
    order_ts timestamp encode az64,
    customer_sk bigint not null encode az64,
    product_sk bigint not null encode az64,
    customer_id bigint encode az64,
    product_id bigint encode az64,
    quantity integer not null encode az64,
    unit_price decimal(12, 2) not null encode az64,
    discount_amount decimal(12, 2) not null encode az64,
    gross_amount decimal(14, 2) not null encode az64,
    net_amount decimal(14, 2) not null encode az64,
    cost_amount decimal(14, 2) encode az64,
    primary key (order_id, line_number)
)
distkey (order_id)
sortkey (order_date_key);

-- [load]
-- The days of the rows about to be replaced, or re-keyed to another product version (the update
-- below): fct_product_daily rebuilds those too (rows can move).
create temp table fct_order_items_replaced_days as
select f.order_date_key as date_key
from fct_order_items as f
join stg_order_items as s on s.order_id = f.order_id and s.line_number = f.line_number
union
select f.order_date_key
from fct_order_items as f
join stg_product_versions as s
    on s.product_id = f.product_id
    and s.previous_product_sk = f.product_sk
    and s.opens_version_at <= f.order_ts;

-- The order of lines sent without it, as its lines already loaded hold it (read before the delete).
create temp table fct_order_items_loaded_orders as
select order_id, max(customer_id) as customer_id, max(order_ts) as order_ts
from fct_order_items
where order_id in (select order_id from stg_order_items)
  and order_id not in (select order_id from stg_orders)
group by order_id;

delete from fct_order_items
using stg_order_items as s
where fct_order_items.order_id = s.order_id
  and fct_order_items.line_number = s.line_number;

-- Lines loaded earlier that now fall in a customer or product version this load opened (a back-dated
-- change, a key arriving after its lines) take it, and a new product version its cost. Before the
-- insert, as in fct_orders.
update fct_order_items
set customer_sk = rekeyed.customer_sk, product_sk = rekeyed.product_sk, cost_amount = rekeyed.cost_amount
from (
    select
        i.order_id,
        i.line_number,
        coalesce(c.customer_sk, i.customer_sk) as customer_sk,
        coalesce(p.product_sk, i.product_sk) as product_sk,
        case when p.product_sk is null then i.cost_amount else i.quantity * p.cost end as cost_amount
    from fct_order_items as i
    left join stg_customer_versions as sc
        on sc.customer_id = i.customer_id
        and sc.previous_customer_sk = i.customer_sk
        and sc.opens_version_at <= i.order_ts
    left join dim_customer as c on c.customer_id = sc.customer_id and c.is_current
    left join stg_product_versions as sp
        on sp.product_id = i.product_id
        and sp.previous_product_sk = i.product_sk
        and sp.opens_version_at <= i.order_ts
    left join dim_product as p on p.product_id = sp.product_id and p.is_current
    where sc.customer_id is not null or sp.product_id is not null
) as rekeyed
where fct_order_items.order_id = rekeyed.order_id
  and fct_order_items.line_number = rekeyed.line_number;

insert into fct_order_items (
    order_item_id, order_id, line_number, order_date_key, order_ts, customer_sk, product_sk,
    customer_id, product_id, quantity, unit_price, discount_amount, gross_amount, net_amount, cost_amount
)
select
    i.order_item_id,
    i.order_id,
    i.line_number,
    coalesce(extract(year from o.order_ts) * 10000 + extract(month from o.order_ts) * 100 + extract(day from o.order_ts), -1),
    o.order_ts,
    coalesce(c.customer_sk, -1),
    coalesce(p.product_sk, -1),
    o.customer_id,
    i.product_id,
    i.quantity,
    i.unit_price,
    i.discount_amount,
    i.quantity * i.unit_price,
    i.quantity * i.unit_price - i.discount_amount,
    i.quantity * p.cost
from stg_order_items as i
left join (
    select order_id, customer_id, order_ts from stg_orders
    union all
    select order_id, customer_id, order_ts from fct_order_items_loaded_orders
) as o
    on o.order_id = i.order_id
left join dim_customer as c
    on c.customer_id = o.customer_id and o.order_ts >= c.valid_from and o.order_ts < c.valid_to
left join dim_product as p
    on p.product_id = i.product_id and o.order_ts >= p.valid_from and o.order_ts < p.valid_to;
