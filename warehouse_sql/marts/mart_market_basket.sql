-- Market basket: product pairs bought in the same revenue order, with support (share of orders
-- holding both), confidence (share of orders with A that also hold B) and lift (confidence over
-- B's own share). Pairs seen in fewer than 2 orders are left out as noise.
-- Counting pairs means a self-join of every basket, too slow to repeat on each read, so the load
-- keeps the counts up to date: mart_basket_orders holds each revenue order's distinct products, and
-- mart_basket_pairs how many of those baskets hold each pair. A load takes the orders it touches
-- (stg_touched_orders) out of the counts as they were, then adds them back as they are now. A pair
-- whose count falls to 0 keeps its row; the view leaves it out like any count below 2.
-- [schema]
create table if not exists mart_basket_orders (
    order_id bigint not null encode az64,
    product_id bigint not null encode az64,
    primary key (order_id, product_id)
)
distkey (order_id)
sortkey (order_id);

create table if not exists mart_basket_pairs (
    product_a_id bigint not null encode az64,
    product_b_id bigint not null encode az64,
    pair_orders bigint not null encode az64,
    primary key (product_a_id, product_b_id)
)
distkey (product_a_id)
sortkey (product_a_id, product_b_id);

create or replace view mart_market_basket as
with order_count as (
    select count(distinct order_id) as orders from mart_basket_orders
),
product_orders as (
    select product_id, count(*) as orders from mart_basket_orders group by product_id
)
select
    pairs.product_a_id,
    pairs.product_b_id,
    pairs.pair_orders,
    round(1.0 * pairs.pair_orders / total.orders, 6) as support,
    round(1.0 * pairs.pair_orders / a.orders, 6) as confidence_a_to_b,
    round(1.0 * pairs.pair_orders / b.orders, 6) as confidence_b_to_a,
    round(1.0 * pairs.pair_orders * total.orders / (1.0 * a.orders * b.orders), 4) as lift
from mart_basket_pairs as pairs
cross join order_count as total
join product_orders as a on a.product_id = pairs.product_a_id
join product_orders as b on b.product_id = pairs.product_b_id
where pairs.pair_orders >= 2;

-- [load]
update mart_basket_pairs
set pair_orders = mart_basket_pairs.pair_orders - touched.pair_orders
from (
    select a.product_id as product_a_id, b.product_id as product_b_id, count(*) as pair_orders
    from mart_basket_orders as a
    join mart_basket_orders as b on b.order_id = a.order_id and b.product_id > a.product_id
    where a.order_id in (select order_id from stg_touched_orders)
    group by a.product_id, b.product_id
) as touched
where mart_basket_pairs.product_a_id = touched.product_a_id
  and mart_basket_pairs.product_b_id = touched.product_b_id;

delete from mart_basket_orders
where order_id in (select order_id from stg_touched_orders);

insert into mart_basket_orders (order_id, product_id)
select distinct i.order_id, i.product_id
from fct_order_items as i
join fct_orders as o on o.order_id = i.order_id and o.is_revenue
where i.product_id is not null
  and i.order_id in (select order_id from stg_touched_orders);

-- MERGE takes a table as its source, not a subquery
create temp table basket_touched_pairs as
select a.product_id as product_a_id, b.product_id as product_b_id, count(*) as pair_orders
from mart_basket_orders as a
join mart_basket_orders as b on b.order_id = a.order_id and b.product_id > a.product_id
where a.order_id in (select order_id from stg_touched_orders)
group by a.product_id, b.product_id;

merge into mart_basket_pairs
using basket_touched_pairs as touched
on mart_basket_pairs.product_a_id = touched.product_a_id
    and mart_basket_pairs.product_b_id = touched.product_b_id
when matched then update set pair_orders = mart_basket_pairs.pair_orders + touched.pair_orders
when not matched then insert (product_a_id, product_b_id, pair_orders)
    values (touched.product_a_id, touched.product_b_id, touched.pair_orders);
