-- Daily product performance snapshot. Grain: one product version (product_sk) per day (date_key).
-- Sales count revenue orders only (fct_orders.is_revenue); views and add-to-carts come from web
-- events. Each load rebuilds exactly the days its orders and events touch: the days they are on now
-- and the days the rows they replace, or re-key to another product version, were on.
-- [schema]
create table if not exists fct_product_daily (
    date_key integer not null encode az64,
    product_sk bigint not null encode az64,
    units_sold bigint not null encode az64,
    order_lines bigint not null encode az64,
    net_revenue_amount decimal(18, 2) not null encode az64,
    cost_amount decimal(18, 2) not null encode az64,
    product_views bigint not null encode az64,
    add_to_carts bigint not null encode az64,
    primary key (date_key, product_sk)
)
distkey (product_sk)
sortkey (date_key);

-- [load]
create temp table stg_product_daily_dates as
select order_date_key as date_key from fct_order_items where order_id in (select order_id from stg_order_items)
union
select order_date_key from fct_orders where order_id in (select order_id from stg_orders)
union
select event_date_key from fct_web_events where event_id in (select event_id from stg_web_events)
union
select date_key from fct_order_items_replaced_days
union
select date_key from fct_orders_replaced_days
union
select date_key from fct_web_events_replaced_days;

delete from fct_product_daily
where date_key in (select date_key from stg_product_daily_dates);

insert into fct_product_daily (
    date_key, product_sk, units_sold, order_lines, net_revenue_amount, cost_amount, product_views,
    add_to_carts
)
select date_key, product_sk, sum(units_sold), sum(order_lines), sum(net_revenue_amount),
    sum(cost_amount), sum(product_views), sum(add_to_carts)
from (
    select i.order_date_key as date_key, i.product_sk, i.quantity as units_sold, 1 as order_lines,
        i.net_amount as net_revenue_amount, coalesce(i.cost_amount, 0) as cost_amount,
        0 as product_views, 0 as add_to_carts
    from fct_order_items as i
    join fct_orders as o on o.order_id = i.order_id
    where o.is_revenue
      and i.order_date_key in (select date_key from stg_product_daily_dates)
    union all
    select event_date_key, product_sk, 0, 0, 0, 0,
        case when event_type = 'product_view' then 1 else 0 end,
        case when event_type = 'add_to_cart' then 1 else 0 end
    from fct_web_events
    where product_sk <> -1
      and event_type in ('product_view', 'add_to_cart')
      and event_date_key in (select date_key from stg_product_daily_dates)
) as activity
group by date_key, product_sk;
