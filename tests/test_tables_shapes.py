"""Table shapes as zone portals and statistics bureaus write them: each fixture page of
tests/fixtures/tables/shapes gives exactly its listed table records, and nothing else.

A record is (subject, indicator, value in base units, unit, kind, period); where the vocabulary has
no indicator for it, `~` and the metric as named stands in the indicator's place.
"""

from __future__ import annotations

import pytest
from conftest import FIXTURES

from extractors.document import read_document
from extractors.metrics import extract_metrics

SHAPES = FIXTURES / "tables" / "shapes"

H1_2023 = "2023-01/2023-06"
Q3_2023 = "2023-01/2023-09"
H1_2024 = "2024-01/2024-06"

EXPECTED: dict[str, list[tuple]] = {
    # GBK, bold first row, names spaced with &nbsp; (`合  计`), a 排名 column, an empty cell, `—`
    # and `/`, a 注： row inside the table and a 数据来源 line below it. The 合计 row is the
    # caption's whole (湖南省高新区), not a zone named 合计; the rank of 合计 is `—`.
    "total_rank.gbk.html": [
        ("长沙高新区", "revenue", 234560000000, "元", "level", H1_2023),
        ("长沙高新区", "revenue", 8.5, "%", "growth", H1_2023),
        ("长沙高新区", "revenue", 1, "位", "rank", H1_2023),
        ("株洲高新区", "revenue", 123450000000, "元", "level", H1_2023),
        ("株洲高新区", "revenue", -3.5, "%", "growth", H1_2023),  # negative growth
        ("株洲高新区", "revenue", 2, "位", "rank", H1_2023),
        ("湖南省高新区", "revenue", 358010000000, "元", "level", H1_2023),
        ("湖南省高新区", "revenue", 4.2, "%", "growth", H1_2023),
    ],
    # a 计量单位 column of mixed units (亿元, 万元, 个, 万美元, %); `12.3*` is 12.3 (the mark sends
    # to a note), `(1.2)` is no figure (an accountant's negative or an aside), `…`, `*`, `—`, `-`
    # none; 万美元 stays US dollars; a count is the count at the period's end; a 数据来源 row.
    "unit_column.html": [
        ("长沙高新区", "revenue", 123450000000, "元", "level", Q3_2023),
        ("长沙高新区", "revenue", 12.3, "%", "growth", Q3_2023),
        ("长沙高新区", "industrial_output", 87654320000, "元", "level", Q3_2023),
        ("长沙高新区", "rd_institutions", 315, "个", "level", "2023-09"),
        ("长沙高新区", "fdi_utilised", 456780000, "美元", "level", Q3_2023),
        ("长沙高新区", "fdi_utilised", -3.5, "%", "growth", Q3_2023),
        ("长沙高新区", "rd_intensity", 6.1, "%", "level", Q3_2023),
    ],
    # 上年同期 is the year before; 同比增长(%) a rate; 同比增减（百分点） a change in points
    "last_year_pp.html": [
        ("长沙高新区", "revenue", 345670000000, "元", "level", "2023"),
        ("长沙高新区", "revenue", 310020000000, "元", "level", "2022"),
        ("长沙高新区", "revenue", 11.5, "%", "growth", "2023"),
        ("长沙高新区", "rd_intensity", 6.4, "%", "level", "2023"),
        ("长沙高新区", "rd_intensity", 6.1, "%", "level", "2022"),
        ("长沙高新区", "rd_intensity", 0.3, "个百分点", "change", "2023"),
        ("长沙高新区", "high_tech_industry_value_added", 72.5, "%", "share", "2023"),
        ("长沙高新区", "high_tech_industry_value_added", 73.3, "%", "share", "2022"),
        # the change of a share in points: no indicator, as the prose reader gives it
        ("长沙高新区", "~高新技术产业增加值", -0.8, "个百分点", "change", "2023"),
    ],
    # GB18030, a header of two rows (本月 | 累计 over 绝对值 | 同比增长), the period only in the
    # page title (`2023年8月`): 本月 is August, 累计 January to August
    "month_cumulative.gb18030.html": [
        ("长沙高新区", "revenue", 30120000000, "元", "level", "2023-08"),
        ("长沙高新区", "revenue", 7.9, "%", "growth", "2023-08"),
        ("长沙高新区", "revenue", 234560000000, "元", "level", "2023-01/2023-08"),
        ("长沙高新区", "revenue", 8.3, "%", "growth", "2023-01/2023-08"),
        ("长沙高新区", "fixed_asset_investment", 4560000000, "元", "level", "2023-08"),
        ("长沙高新区", "fixed_asset_investment", -2.1, "%", "growth", "2023-08"),
        ("长沙高新区", "fixed_asset_investment", 38040000000, "元", "level", "2023-01/2023-08"),
        ("长沙高新区", "fixed_asset_investment", 1.5, "%", "growth", "2023-01/2023-08"),
        ("长沙高新区", "retail_sales", 1230000000, "元", "level", "2023-08"),
        ("长沙高新区", "retail_sales", 5, "%", "growth", "2023-08"),
        ("长沙高新区", "retail_sales", 9870000000, "元", "level", "2023-01/2023-08"),
        ("长沙高新区", "retail_sales", 4.4, "%", "growth", "2023-01/2023-08"),
    ],
    # transposed: years as rows (bare `2020`), indicators as columns, a unit line above the table
    # and a column's own unit (万人) over it
    "years_as_rows.html": [
        ("长沙高新区", "revenue", 1000050000000, "元", "level", "2020"),
        ("长沙高新区", "revenue", 5.1, "%", "growth", "2020"),
        ("长沙高新区", "high_tech_enterprises", 1802, "家", "level", "2020"),
        ("长沙高新区", "employees", 256000, "人", "level", "2020"),
        ("长沙高新区", "revenue", 1200000000000, "元", "level", "2021"),
        ("长沙高新区", "revenue", 20, "%", "growth", "2021"),
        ("长沙高新区", "high_tech_enterprises", 2100, "家", "level", "2021"),
        ("长沙高新区", "employees", 271000, "人", "level", "2021"),
        ("长沙高新区", "revenue", 1350080000000, "元", "level", "2022"),
        ("长沙高新区", "revenue", 12.5, "%", "growth", "2022"),
        ("长沙高新区", "high_tech_enterprises", 2450, "家", "level", "2022"),
    ],
    # a 序号 column (no figures), indicator rows, a 全省位次 column
    "serial_rank.html": [
        ("株洲高新区", "gdp", 31245000000, "元", "level", H1_2024),
        ("株洲高新区", "gdp", 6.8, "%", "growth", H1_2024),
        ("株洲高新区", "gdp", 3, "位", "rank", H1_2024),
        ("株洲高新区", "budget_revenue", 1853200000, "元", "level", H1_2024),
        ("株洲高新区", "budget_revenue", -4.1, "%", "growth", H1_2024),
        ("株洲高新区", "budget_revenue", 5, "位", "rank", H1_2024),
        ("株洲高新区", "market_entities", 3215, "户", "level", H1_2024),
        ("株洲高新区", "market_entities", 11, "%", "growth", H1_2024),
    ],
    # GBK, the period only in the caption above the table (the title has none)
    "caption_period.gbk.html": [
        ("长沙高新区", "tech_industry_trade_revenue", 189020000000, "元", "level", H1_2023),
        ("长沙高新区", "tech_industry_trade_revenue", 9.6, "%", "growth", H1_2023),
        ("长沙高新区", "industrial_output", 101240000000, "元", "level", H1_2023),
        ("长沙高新区", "industrial_output", 7.7, "%", "growth", H1_2023),
    ],
    # a phone number, a page counter, a calendar, a pager, a date and a hit counter in tables
    "layout_numbers.html": [],
    # 其中 rows: a part named in full keeps its own indicator; a part named by its qualifier alone
    # (其中：新认定) is named with its whole; neither becomes the whole's own figure
    "subrows.html": [
        ("长沙高新区", "revenue", 345670000000, "元", "level", "2023"),
        ("长沙高新区", "revenue", 11.5, "%", "growth", "2023"),
        ("长沙高新区", "above_scale_industrial_revenue", 210030000000, "元", "level", "2023"),
        ("长沙高新区", "above_scale_industrial_revenue", 9.8, "%", "growth", "2023"),
        ("长沙高新区", "high_tech_enterprises", 2168, "家", "level", "2023"),
        ("长沙高新区", "high_tech_enterprises", 12, "%", "growth", "2023"),
        ("长沙高新区", "high_tech_enterprises", 512, "家", "level", "2023"),  # basis new
        ("长沙高新区", "budget_revenue", 6050000000, "元", "level", "2023"),
        ("长沙高新区", "budget_revenue", 4, "%", "growth", "2023"),
        ("长沙高新区", "taxes_paid", 5010000000, "元", "level", "2023"),
        ("长沙高新区", "taxes_paid", 3.1, "%", "growth", "2023"),
    ],
    # GB18030, subject rows: a 总计 row first, and `其中：麓谷园区` under 长沙高新区 (麓谷 names the
    # zone): a park of the zone, never the zone's own revenue
    "zone_parts.gb18030.html": [
        ("湖南省高新区", "revenue", 558130000000, "元", "level", "2022"),
        ("湖南省高新区", "revenue", 9.5, "%", "growth", "2022"),
        ("长沙高新区", "revenue", 345670000000, "元", "level", "2022"),
        ("长沙高新区", "revenue", 10.2, "%", "growth", "2022"),
        ("麓谷园区", "revenue", 201000000000, "元", "level", "2022"),
        ("麓谷园区", "revenue", 11, "%", "growth", "2022"),
        ("株洲高新区", "revenue", 123450000000, "元", "level", "2022"),
        ("株洲高新区", "revenue", 8.8, "%", "growth", "2022"),
    ],
    # 万美元 in a header: US dollars; an 占全市比重 column is a share
    "share_usd.html": [
        ("长沙高新区", "foreign_trade", 1234560000, "美元", "level", "2023"),
        ("长沙高新区", "foreign_trade", 15.2, "%", "growth", "2023"),
        ("长沙高新区", "foreign_trade", 35.1, "%", "share", "2023"),
        ("株洲高新区", "foreign_trade", 456789000, "美元", "level", "2023"),
        ("株洲高新区", "foreign_trade", -6, "%", "growth", "2023"),
        ("株洲高新区", "foreign_trade", 13, "%", "share", "2023"),
    ],
    # GBK, the period only in the page title, <strong> first row, a 备注 column of words and dates
    "title_period.gbk.html": [
        ("株洲高新区", "industrial_output", 45670000000, "元", "level", "2022"),
        ("株洲高新区", "industrial_output", 6.6, "%", "growth", "2022"),
        ("株洲高新区", "industrial_value_added", 12000000000, "元", "level", "2022"),
        ("株洲高新区", "industrial_value_added", 5.4, "%", "growth", "2022"),
    ],
    # zones across the columns and a 合计 column: the total of 长沙市各园区 is the parks', not the
    # city's, and nobody the registry names: no record
    "zone_columns_total.html": [
        ("长沙高新区", "revenue", 345670000000, "元", "level", "2023"),
        ("浏阳经开区", "revenue", 120030000000, "元", "level", "2023"),
        ("长沙高新区", "high_tech_enterprises", 2168, "家", "level", "2023"),
        ("浏阳经开区", "high_tech_enterprises", 512, "家", "level", "2023"),
    ],
    # two tables: 比上年末增加 is an absolute change in the row's unit (net), not a rate; output by
    # industry: the rows are parts of the zone's output (电子信息产值), the 合计 row the whole
    "change_and_industries.html": [
        ("长沙高新区", "high_tech_enterprises", 2168, "家", "level", "2023"),
        ("长沙高新区", "high_tech_enterprises", 312, "家", "change", "2023"),
        ("长沙高新区", "high_tech_enterprises", 16.8, "%", "growth", "2023"),
        ("长沙高新区", "valid_invention_patents", 12345, "件", "level", "2023"),
        ("长沙高新区", "valid_invention_patents", 1234, "件", "change", "2023"),
        ("长沙高新区", "valid_invention_patents", 11.1, "%", "growth", "2023"),
        ("长沙高新区", "~产值", 123450000000, "元", "level", "2023"),
        ("长沙高新区", "~产值", 8.2, "%", "growth", "2023"),
        ("长沙高新区", "~电子信息产值", 45670000000, "元", "level", "2023"),
        ("长沙高新区", "~电子信息产值", 12.1, "%", "growth", "2023"),
        ("长沙高新区", "~生物医药产值", 12340000000, "元", "level", "2023"),
        ("长沙高新区", "~生物医药产值", -2.3, "%", "growth", "2023"),
    ],
}


def _read(name: str):
    path = SHAPES / name
    return read_document(path.read_bytes(), doc=path.name.split(".")[0])


def _table_records(name: str) -> list[dict]:
    return [r for r in extract_metrics(_read(name)) if r.get("table") is not None]


def _shape(r: dict) -> tuple:
    return (r["subject"], r["indicator"] or f"~{r['metric']}", r["value"], r["unit"], r["kind"], r["period"])


def test_every_fixture_has_its_expectation():
    assert sorted(p.name for p in SHAPES.glob("*.html")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_table_shape_gives_exactly_its_records(name):
    assert [_shape(r) for r in _table_records(name)] == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_no_record_is_named_by_a_total_or_a_part_marker(name):
    for r in _table_records(name):
        assert r["subject"] not in ("合计", "总计", "合 计") and not r["subject"].startswith("其中")
        assert not r["metric"].startswith("其中")


def test_zone_ids_of_the_subjects():
    ids = {(r["subject"], r["zone_id"]) for r in _table_records("zone_parts.gb18030.html")}
    assert ids == {
        ("湖南省高新区", None),
        ("长沙高新区", "changsha"),
        ("麓谷园区", None),
        ("株洲高新区", "zhuzhou"),
    }


def test_changes_and_parts_have_their_basis():
    basis = {(r["metric"], r["kind"]): r["basis"] for r in _table_records("change_and_industries.html")}
    assert basis[("高新技术企业", "change")] == "net"
    new = [r for r in _table_records("subrows.html") if r["value"] == 512]
    assert [(r["metric"], r["basis"]) for r in new] == [("新认定高新技术企业", "new")]


def test_layout_tables_with_numbers_are_no_tables():
    assert _read("layout_numbers.html").tables == []


def test_a_record_says_which_table_row_and_column():
    doc = _read("change_and_industries.html")
    records = [r for r in extract_metrics(doc) if r.get("table") is not None]
    last = records[-1]
    assert (last["table"], last["row"], last["col"]) == (1, 2, 2)
    assert doc.tables[1].rows[2][2] == last["text"] == "-2.3"
    assert "行：生物医药" in last["sentence"] and "列：增速（%）" in last["sentence"]


# shapes small enough to write inline


def _inline(table: str, caption: str) -> list[tuple]:
    html = (
        "<html><head><meta charset='utf-8'><title>2023年长沙高新区经济运行情况</title>"
        "<meta name='PubDate' content='2024-02-01'></head><body><h1>2023年长沙高新区经济运行情况</h1>"
        f"<div class='content'><p>2023年，园区经济运行总体平稳。</p><p>{caption}</p>{table}</div></body></html>"
    )
    records = extract_metrics(read_document(html.encode(), doc="t"))
    return [_shape(r) for r in records if r.get("table") is not None]


@pytest.mark.parametrize(
    ("table", "caption", "expected"),
    [
        # the 合计 of listed enterprises is theirs, not the zone's revenue
        (
            "<table><tr><td>序号</td><td>企业名称</td><td>营业收入（亿元）</td></tr>"
            "<tr><td>1</td><td>中联重科</td><td>300.5</td></tr><tr><td>2</td><td>三一集团</td><td>250.1</td></tr>"
            "<tr><td></td><td>合计</td><td>550.6</td></tr></table>",
            "2023年长沙高新区重点企业营业收入",
            [
                ("中联重科", "revenue", 30050000000, "元", "level", "2023"),
                ("三一集团", "revenue", 25010000000, "元", "level", "2023"),
            ],
        ),
        # 类别 rows under a column that names no indicator: the rows name it
        (
            "<table><tr><td>类别</td><td>数量（家）</td></tr><tr><td>高新技术企业</td><td>2,168</td></tr>"
            "<tr><td>科技型中小企业</td><td>3,050</td></tr></table>",
            "2023年长沙高新区创新主体",
            [
                ("长沙高新区", "high_tech_enterprises", 2168, "家", "level", "2023"),
                ("长沙高新区", "tech_smes", 3050, "家", "level", "2023"),
            ],
        ),
        # 比上年增减（亿元）: an amount of change, not a rate; 增减（%） a rate
        (
            "<table><tr><td>指标</td><td>2023年（亿元）</td><td>比上年增减（亿元）</td><td>增减（%）</td></tr>"
            "<tr><td>营业收入</td><td>3,456.7</td><td>-120.5</td><td>-3.4</td></tr></table>",
            "2023年长沙高新区主要指标",
            [
                ("长沙高新区", "revenue", 345670000000, "元", "level", "2023"),
                ("长沙高新区", "revenue", -12050000000, "元", "change", "2023"),
                ("长沙高新区", "revenue", -3.4, "%", "growth", "2023"),
            ],
        ),
        # a 其中 row whose name is also a name of the whole (企业营业收入): a part, no revenue of the zone
        (
            "<table><tr><td>指标</td><td>单位</td><td>2023年</td></tr>"
            "<tr><td>营业收入</td><td>亿元</td><td>3,456.7</td></tr>"
            "<tr><td>其中：企业营业收入</td><td>亿元</td><td>3,001.2</td></tr></table>",
            "2023年长沙高新区主要指标",
            [
                ("长沙高新区", "revenue", 345670000000, "元", "level", "2023"),
                ("长沙高新区", "~企业营业收入", 300120000000, "元", "level", "2023"),
            ],
        ),
    ],
    ids=["enterprise-total", "category-rows", "change-in-its-unit", "part-named-as-the-whole"],
)
def test_inline_shapes(table, caption, expected):
    assert _inline(table, caption) == expected
