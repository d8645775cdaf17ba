-- Calendar dimension, 2015-01-01 to 2035-12-31, generated once (Redshift has no generate_series in
-- queries on tables, so days come from a cross join of digits). Fiscal year starts 1 February and
-- is named by the calendar year it starts in. date_key -1 is the unknown date.
-- [schema]
create table if not exists dim_date (
    date_key integer not null encode az64,
    full_date date not null encode az64,
    year smallint not null,
    quarter smallint not null,
    month smallint not null,
    day_of_month smallint not null,
    day_of_week smallint not null,
    iso_week smallint not null,
    is_weekend boolean not null,
    month_start_date date not null,
    fiscal_year smallint not null,
    fiscal_quarter smallint not null,
    fiscal_month smallint not null,
    primary key (date_key)
)
diststyle all
sortkey (date_key);

insert into dim_date
with digits as (
    select 0 as d union all select 1 union all select 2 union all select 3 union all select 4
    union all select 5 union all select 6 union all select 7 union all select 8 union all select 9
),
days as (
    select cast(dateadd(day, ones.d + 10 * tens.d + 100 * hundreds.d + 1000 * thousands.d,
        '2015-01-01'::date) as date) as full_date
    from digits as ones
    cross join digits as tens
    cross join digits as hundreds
    cross join digits as thousands
),
calendar as (
    select full_date, extract(month from full_date) as month_number,
        (extract(month from full_date) + 10) % 12 + 1 as fiscal_month_number
    from days
    where full_date <= '2035-12-31'::date
)
select
    cast(to_char(full_date, 'YYYYMMDD') as integer),
    full_date,
    extract(year from full_date),
    extract(quarter from full_date),
    month_number,
    extract(day from full_date),
    extract(dow from full_date),
    extract(week from full_date),
    extract(dow from full_date) in (0, 6),
    cast(date_trunc('month', full_date) as date),
    extract(year from full_date) - case when month_number = 1 then 1 else 0 end,
    -- integer division: months 1-3 -> 1, 4-6 -> 2, ...
    (fiscal_month_number - 1) / 3 + 1,
    fiscal_month_number
from calendar
where (select count(*) from dim_date) = 0
union all
select -1, '1900-01-01'::date, 1900, 1, 1, 1, 1, 1, false, '1900-01-01'::date, 1899, 4, 12
where (select count(*) from dim_date) = 0;
