"""`ecomdwh warehouse query` runs one read-only query: anything else is refused before any connection."""

import pytest
from typer.testing import CliRunner

from ecomdwh.cli import app
from ecomdwh.warehouse.cli import read_only_refusal


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        ("select 1; drop table dim_customer", "2 statements"),
        ("drop table dim_customer", "holds DROP"),
        ("delete from x", "holds DELETE"),
        ("with x as (select 1) delete from dim_channel", "holds DELETE"),
        ("with gone as (delete from dim_channel) select 1", "holds DELETE"),
        ("with gone as (delete from dim_channel returning *) select * from gone", "returning clause"),
        ("select * into dim_copy from dim_channel", "holds INTO"),
        ("insert into dim_channel select * from dim_channel", "holds INSERT"),
        ("create table t as select 1 as a", "holds CREATE"),
        ("truncate dim_channel", "holds TRUNCATETABLE"),
        ("vacuum", "holds VACUUM"),
        ("set search_path to public", "holds SET"),
        ("select count(*) from read_csv('/etc/passwd')", "function read_csv()"),
        ("select * from glob('/etc/*')", "function glob()"),
        ("", "0 statements"),
        ("select from from", "not Redshift SQL"),
    ],
)
def test_a_query_that_is_not_one_read_only_select_is_refused_before_connecting(sql, reason, monkeypatch):
    monkeypatch.setattr("ecomdwh.warehouse.cli._connect", lambda: pytest.fail("connected"))
    result = CliRunner().invoke(app, ["warehouse", "query", sql])
    assert result.exit_code == 2, result.output
    assert "refused" in result.output
    assert reason in " ".join(result.output.split()), result.output


@pytest.mark.parametrize(
    "sql",
    [
        "select * from mart_sales_monthly",
        "with recent as (select * from fct_orders where order_date_key > 20260101) select count(*) from recent",
        "select channel_sk from dim_channel union all select -1",
        "select c.city, count(*) from fct_orders o join dim_customer c on c.customer_sk = o.customer_sk group by 1",
        "select 1;",
    ],
)
def test_one_read_only_select_passes(sql):
    assert read_only_refusal(sql) is None
