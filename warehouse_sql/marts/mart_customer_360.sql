-- One row per customer: current attributes, order history (revenue orders), web activity and the
-- category they spend most on. Recency counts days to the latest order in the warehouse, so the
-- view gives the same answer whenever it is read.
-- Ranking every customer's categories over every order line is too slow to repeat on each read, so
-- mart_customer_activity keeps each customer's order, category and web figures, and the load
-- refreshes the customers it touches: those of stg_touched_orders and of the day's web events.
-- [schema]
create table if not exists mart_customer_activity (
    customer_id bigint not null encode az64,
    orders bigint not null encode az64,
    revenue_amount decimal(18, 2) not null encode az64,
    first_order_ts timestamp encode az64,
    last_order_ts timestamp encode az64,
    favourite_category varchar(100) encode zstd,
    web_sessions bigint not null encode az64,
    web_events bigint not null encode az64,
    primary key (customer_id)
)
distkey (customer_id)
sortkey (customer_id);

create or replace view mart_customer_360 as
with latest as (
    select max(order_ts) as latest_order_ts from fct_orders
)
select
    c.customer_id,
    c.first_name,
    c.last_name,
    c.email,
    c.city,
    c.country,
    c.segment,
    c.signup_date,
    coalesce(a.orders, 0) as orders,
    coalesce(a.revenue_amount, 0) as revenue_amount,
    round(a.revenue_amount / nullif(a.orders, 0), 2) as avg_order_value_amount,
    a.first_order_ts,
    a.last_order_ts,
    datediff(day, a.last_order_ts, latest.latest_order_ts) as days_since_last_order,
    a.favourite_category,
    coalesce(a.web_sessions, 0) as web_sessions,
    coalesce(a.web_events, 0) as web_events
from dim_customer as c
cross join latest
left join mart_customer_activity as a on a.customer_id = c.customer_id
where c.is_current
  and c.customer_sk <> -1;

-- [load]
create temp table stg_touched_customers as
select customer_id from fct_orders where order_id in (select order_id from stg_touched_orders)
union
select customer_id from stg_web_events where customer_id is not null;

delete from mart_customer_activity
where customer_id in (select customer_id from stg_touched_customers);

insert into mart_customer_activity (
    customer_id, orders, revenue_amount, first_order_ts, last_order_ts, favourite_category,
    web_sessions, web_events
)
with orders as (
    select
        customer_id,
        count(*) as orders,
        sum(order_total_amount) as revenue_amount,
        min(order_ts) as first_order_ts,
        max(order_ts) as last_order_ts
    from fct_orders
    where is_revenue
      and customer_id in (select customer_id from stg_touched_customers)
    group by customer_id
),
category_spend as (
    select
        i.customer_id,
        p.category,
        row_number() over (partition by i.customer_id order by sum(i.net_amount) desc, p.category) as spend_rank
    from fct_order_items as i
    join fct_orders as o on o.order_id = i.order_id and o.is_revenue
    join dim_product as p on p.product_sk = i.product_sk
    where i.customer_id in (select customer_id from stg_touched_customers)
    group by i.customer_id, p.category
),
web as (
    select customer_id, count(distinct session_id) as web_sessions, count(*) as web_events
    from fct_web_events
    where customer_id in (select customer_id from stg_touched_customers)
    group by customer_id
)
select
    t.customer_id,
    coalesce(o.orders, 0),
    coalesce(o.revenue_amount, 0),
    o.first_order_ts,
    o.last_order_ts,
    favourite.category,
    coalesce(web.web_sessions, 0),
    coalesce(web.web_events, 0)
from stg_touched_customers as t
left join orders as o on o.customer_id = t.customer_id
left join category_spend as favourite on favourite.customer_id = t.customer_id and favourite.spend_rank = 1
left join web on web.customer_id = t.customer_id
where t.customer_id is not null;
