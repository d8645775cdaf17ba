-- Market basket: product pairs bought in the same revenue order, with support (share of orders
-- holding both), confidence (share of orders with A that also hold B) and lift (confidence over
-- B's own share). Pairs seen in fewer than 2 orders are left out as noise.
-- [schema]
create or replace view mart_market_basket as
with baskets as (
    select distinct i.order_id, i.product_id
    from fct_order_items as i
    join fct_orders as o on o.order_id = i.order_id and o.is_revenue
    where i.product_id is not null
),
order_count as (
    select count(distinct order_id) as orders from baskets
),
product_orders as (
    select product_id, count(*) as orders from baskets group by product_id
),
pairs as (
    select a.product_id as product_a_id, b.product_id as product_b_id, count(*) as pair_orders
    from baskets as a
    join baskets as b on b.order_id = a.order_id and b.product_id > a.product_id
    group by a.product_id, b.product_id
    having count(*) >= 2
)
select
    pairs.product_a_id,
    pairs.product_b_id,
    pairs.pair_orders,
    round(1.0 * pairs.pair_orders / total.orders, 6) as support,
    round(1.0 * pairs.pair_orders / a.orders, 6) as confidence_a_to_b,
    round(1.0 * pairs.pair_orders / b.orders, 6) as confidence_b_to_a,
    round(1.0 * pairs.pair_orders * total.orders / (1.0 * a.orders * b.orders), 4) as lift
from pairs
cross join order_count as total
join product_orders as a on a.product_id = pairs.product_a_id
join product_orders as b on b.product_id = pairs.product_b_id;
