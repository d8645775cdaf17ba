-- Monthly cohort retention: customers by the month of their first revenue order, and the share
-- of each cohort ordering again N months later (month 0 is 100%).
-- [schema]
create or replace view mart_cohort_retention as
with activity as (
    select distinct customer_id, cast(date_trunc('month', order_ts) as date) as order_month
    from fct_orders
    where is_revenue
      and customer_id is not null
),
cohorts as (
    select customer_id, min(order_month) as cohort_month
    from activity
    group by customer_id
),
cohort_sizes as (
    select cohort_month, count(*) as cohort_customers
    from cohorts
    group by cohort_month
)
select
    c.cohort_month,
    datediff(month, c.cohort_month, a.order_month) as months_since_first_order,
    s.cohort_customers,
    count(*) as active_customers,
    round(1.0 * count(*) / s.cohort_customers, 4) as retention_rate
from cohorts as c
join activity as a on a.customer_id = c.customer_id
join cohort_sizes as s on s.cohort_month = c.cohort_month
group by c.cohort_month, datediff(month, c.cohort_month, a.order_month), s.cohort_customers;
