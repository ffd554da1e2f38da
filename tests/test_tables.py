"""Tables are metrics too: data tables of pages, text dumps and attachments as metric records."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import FIXTURES

from crawler.cli import cli
from crawler.inputs import read_path
from crawler.tables import display_width
from extractors.attachments import attachment_kind, read_attachment
from extractors.document import read_document
from extractors.grids import grids_of_text, tables_of_html
from extractors.metrics import extract_metrics
from extractors.records import Document, UnreadableInput

TABLES = FIXTURES / "tables"

# The monthly indicator table as its page, its .xlsx and its PDF give: indicator, value in base
# units, unit, kind, period.
MONTHLY = [
    ("revenue", 234560000000, "元", "level", "2023-01/2023-09"),
    ("revenue", 8.5, "%", "growth", "2023-01/2023-09"),
    ("industrial_output", 123450000000, "元", "level", "2023-01/2023-09"),
    ("industrial_output", 6.2, "%", "growth", "2023-01/2023-09"),
    ("industrial_value_added", 7.1, "%", "growth", "2023-01/2023-09"),  # its amount is `—`
    ("fixed_asset_investment", -3.4, "%", "growth", "2023-01/2023-09"),  # its amount is `…`
    ("fdi_utilised", 567000000, "美元", "level", "2023-01/2023-09"),  # its growth is `/`
    ("high_tech_enterprises", 2168, "家", "level", "2023-09"),  # a count: the count at the end
    ("high_tech_enterprises", 12.3, "%", "growth", "2023-01/2023-09"),
    ("rd_intensity", 6.1, "%", "level", "2023-01/2023-09"),  # its growth is `-`
]


def facts(records: list[dict]) -> list[tuple]:
    return [(r["indicator"], r["value"], r["unit"], r["kind"], r["period"]) for r in records]


def table_records(records: list[dict]) -> list[dict]:
    return [r for r in records if r.get("table") is not None]


@pytest.mark.parametrize("name", ["monthly.html", "monthly.xlsx", "monthly.pdf"])
def test_monthly_indicator_table_gives_every_figure(name):
    records = extract_metrics(read_path(TABLES / name))
    assert facts(records) == MONTHLY
    assert {(r["subject"], r["zone_id"]) for r in records} == {("长沙高新区", "changsha")}
    assert all(r["table"] == 0 for r in records)


def test_monthly_page_periods_are_data():
    revenue = extract_metrics(read_path(TABLES / "monthly.html"))[0]
    assert (revenue["period_start"], revenue["period_end"], revenue["period_type"]) == (
        "2023-01-01",
        "2023-09-30",
        "ytd",
    )
    assert revenue["basis"] == "stock"


def test_month_and_year_to_date_column_groups_on_a_gbk_page():
    """The demo's 统计数据 page (GBK, `1-9月` in a title TRS suffixes with `-统计数据`): `9月` over
    `本月 | 同比增长(%)` and `1-9月` over `累计 | 同比增长(%)`, merged header cells."""
    page = FIXTURES / "sites/chinatorch/gxq/tjsj/202310/80c5c184365517b5718ecee27d607cfc.shtml"
    doc = read_path(page)
    assert doc.title == "2023年1-9月国家高新区主要经济指标"
    revenue = [r for r in extract_metrics(doc) if r["indicator"] == "revenue"]
    assert facts(revenue) == [
        ("revenue", 6012340000000, "元", "level", "2023-09"),
        ("revenue", 7.9, "%", "growth", "2023-09"),
        ("revenue", 48765430000000, "元", "level", "2023-01/2023-09"),
        ("revenue", 8.3, "%", "growth", "2023-01/2023-09"),
    ]
    assert {r["subject"] for r in revenue} == {"国家高新区"}


def test_a_record_says_where_in_the_table_it_stands():
    doc = read_path(TABLES / "monthly.html")
    records = extract_metrics(doc)
    growth = next(r for r in records if r["indicator"] == "fixed_asset_investment")
    assert (growth["table"], growth["row"], growth["col"]) == (0, 3, 3)
    assert doc.tables[0].rows[growth["row"]][growth["col"]] == growth["text"] == "-3.4"
    assert "行：固定资产投资" in growth["sentence"] and "列：同比增长(%)" in growth["sentence"]
    # offsets lie past the body and are distinct: the store's ids stay unique
    assert all(r["start"] > len(doc.body) for r in records)
    assert len({(r["start"], r["end"]) for r in records}) == len(records)


# the multi-zone comparison: GB18030 bytes, merged header cells


COMPARISON = {
    # subject: (单位数, 营业收入, its growth, 工业总产值, its growth, 营业收入位次)
    "长沙高新区": (1200, 345670000000, 10.2, 210050000000, 9.1, 1),
    "株洲高新区": (800, 123450000000, 8.8, 98760000000, 7.7, 2),
    "湘潭高新区": (500, 89010000000, None, 60020000000, 5.5, 3),
    "湖南省高新区": (2500, 558130000000, 9.5, 368830000000, 8.2, None),  # the 合计 row
}


@pytest.mark.parametrize("name", ["comparison.gb18030.html", "comparison.xls"])
def test_comparison_table_with_merged_header_cells(name):
    doc = read_path(TABLES / name)
    (grid,) = doc.tables
    assert grid.header[0][2:4] == ["营业收入", "营业收入"]  # colspan repeated
    assert grid.header[1][0] == "区域"  # rowspan repeated
    assert grid.caption.endswith("2022年湖南省高新区主要经济指标")
    records = extract_metrics(doc)
    got: dict[str, dict[tuple, float]] = {}
    for r in records:
        got.setdefault(r["subject"], {})[(r["metric"], r["unit"], r["kind"])] = r["value"]
        assert r["period"] == "2022"
    for subject, values in COMPARISON.items():
        count, revenue, revenue_growth, output, output_growth, rank = values
        expected = {
            ("单位数", "个", "level"): count,
            ("营业收入", "元", "level"): revenue,
            ("营业收入", "%", "growth"): revenue_growth,
            ("工业总产值", "元", "level"): output,
            ("工业总产值", "%", "growth"): output_growth,
            ("营业收入", "位", "rank"): rank,
        }
        assert got[subject] == {k: v for k, v in expected.items() if v is not None}, subject
    zone_ids = {r["subject"]: r["zone_id"] for r in records}
    assert zone_ids["株洲高新区"] == "zhuzhou" and zone_ids["湖南省高新区"] is None
    revenue = next(r for r in records if r["indicator"] == "revenue" and r["kind"] == "level")
    assert revenue["period_type"] == "year"


# transposed forms, text tables


def test_period_rows_with_a_unit_line_in_a_text_dump():
    text = (
        "东湖高新区近三年主要经济指标\n发布时间：2023-02-10\n东湖高新区近三年主要经济指标如下。\n单位：亿元\n"
        "年份 | 营业收入 | 增速(%) | 工业总产值\n"
        "2020年 | 10000.5 | 5.1 | 3000\n"
        "2021年 | 12000 | 20.0 | 3500.2\n"
        "2022年 | 13500.8 | 12.5 | —\n"
    )
    doc = read_document(text.encode(), doc="t")
    assert doc.tables and doc.tables[0].unit == "亿元"
    got = {(r["period"], r["indicator"], r["kind"]): r["value"] for r in extract_metrics(doc)}
    assert got == {
        ("2020", "revenue", "level"): 1000050000000,
        ("2020", "revenue", "growth"): 5.1,
        ("2020", "industrial_output", "level"): 300000000000,
        ("2021", "revenue", "level"): 1200000000000,
        ("2021", "revenue", "growth"): 20,
        ("2021", "industrial_output", "level"): 350020000000,
        ("2022", "revenue", "level"): 1350080000000,
        ("2022", "revenue", "growth"): 12.5,
    }


def test_zone_columns_and_indicator_rows():
    text = (
        "2022年部分国家高新区主要指标\n发布时间：2023-05-06\n"
        "指标\t长沙高新区\t株洲高新区\n"
        "营业收入（亿元）\t3456.7\t1234.5\n"
        "高新技术企业（家）\t2100\t650\n"
        "营业收入增速（%）\t10.2\t8.8\n"
    )
    records = extract_metrics(read_document(text.encode(), doc="t"))
    got = {(r["zone_id"], r["indicator"], r["kind"], r["unit"]): r["value"] for r in records}
    assert got == {
        ("changsha", "revenue", "level", "元"): 345670000000,
        ("zhuzhou", "revenue", "level", "元"): 123450000000,
        ("changsha", "high_tech_enterprises", "level", "家"): 2100,
        ("zhuzhou", "high_tech_enterprises", "level", "家"): 650,
        ("changsha", "revenue", "growth", "%"): 10.2,
        ("zhuzhou", "revenue", "growth", "%"): 8.8,
    }
    assert {r["period"] for r in records if r["unit"] != "家"} == {"2022"}


def _page(table: str, title: str = "2022年园区经济运行情况", before: str = "") -> Document:
    html = (
        f"<html><head><meta charset='utf-8'><title>{title}</title>"
        "<meta name='PubDate' content='2023-02-01'></head><body>"
        f"<h1>{title}</h1><div class='content'><p>2022年，园区经济运行总体平稳，主要指标如下表所示。</p>"
        f"{before}{table}</div></body></html>"
    )
    return read_document(html.encode(), doc="t")


def test_indicator_columns_with_units_in_headers_and_unknown_subjects():
    doc = _page(
        "<table><tr><th>序号</th><th>园区</th><th>营业收入（万元）</th><th>增幅</th><th>占全市比重(%)</th></tr>"
        "<tr><td>1</td><td>东城产业园</td><td>56,000</td><td>12.5</td><td>30.2</td></tr>"
        "<tr><td>2</td><td>西城科技园</td><td>—</td><td>-2.0</td><td>…</td></tr></table>"
    )
    got = {(r["subject"], r["metric"], r["kind"]): (r["value"], r["unit"]) for r in extract_metrics(doc)}
    assert got == {
        ("东城产业园", "营业收入", "level"): (560000000, "元"),
        ("东城产业园", "营业收入", "growth"): (12.5, "%"),
        ("东城产业园", "营业收入", "share"): (30.2, "%"),
        ("西城科技园", "营业收入", "growth"): (-2.0, "%"),
    }


def test_unit_line_above_an_html_table_and_ranks():
    doc = _page(
        "<table><tr><td>指标</td><td>2022年</td><td>2021年</td><td>全省排名</td></tr>"
        "<tr><td>技工贸总收入</td><td>820.5</td><td>700</td><td>3</td></tr></table>",
        title="2022年长沙高新区经济运行情况",
        before="<p>单位：万元</p>",
    )
    assert doc.tables[0].unit == "万元"
    records = extract_metrics(doc)
    assert {r["subject"] for r in records} == {"长沙高新区"}  # 全省排名 ranks the page's zone
    got = {(r["period"], r["kind"]): (r["value"], r["unit"]) for r in records}
    assert got == {
        ("2022", "level"): (8205000, "元"),
        ("2021", "level"): (7000000, "元"),
        ("2022", "rank"): (3, "位"),  # a rank column after the 2022 column is 2022's
    }


# what is no data table


def test_layout_table_page_gives_no_table_and_no_table_figure():
    doc = read_path(TABLES / "layout.html")
    assert doc.tables == []
    assert table_records(extract_metrics(doc)) == []


@pytest.mark.parametrize(
    "table",
    [
        # nested tables position the page
        "<table><tr><td><table><tr><td>1</td><td>2</td></tr></table></td><td>3</td></tr></table>",
        # links and words, no figures
        "<table><tr><td>首页</td><td>新闻中心</td></tr><tr><td>通知公告</td><td>政策文件</td></tr></table>",
        # a long text cell: a page laid out in a table
        "<table><tr><td>日期</td><td>内容</td></tr><tr><td>2023</td><td>"
        + "园区召开会议。" * 40
        + "</td></tr>"
        "<tr><td>12</td><td>13</td></tr></table>",
    ],
)
def test_layout_tables_are_not_data(table):
    assert tables_of_html(f"<html><body>{table}</body></html>") == []


def test_prose_lines_are_no_text_table():
    assert grids_of_text("高新区营业收入增长12%。\n工业总产值增长8%。") == []


# attachments


def test_cli_metrics_reads_an_xlsx_directly():
    result = CliRunner().invoke(cli, ["metrics", str(TABLES / "monthly.xlsx"), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert facts(records) == MONTHLY


def test_cli_extract_shows_the_tables():
    result = CliRunner().invoke(cli, ["extract", str(TABLES / "monthly.html"), "--format", "jsonl"])
    (doc,) = [json.loads(line) for line in result.output.splitlines()]
    assert doc["tables"][0]["header"] == [["指标名称", "单位", "1-9月", "同比增长(%)"]]
    assert doc["tables"][0]["rows"][0] == ["营业收入", "亿元", "2,345.6", "8.5"]


def test_cli_extract_text_prints_the_tables_in_aligned_columns():
    result = CliRunner().invoke(cli, ["extract", str(TABLES / "comparison.gb18030.html")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    # the table's title line (the body's own caption line comes before it)
    at = max(i for i, line in enumerate(lines) if line == "表1 2022年湖南省高新区主要经济指标")
    header, rule, first = lines[at + 2], lines[at + 3], lines[at + 4]
    assert header.split() == [
        "区域",
        "单位数（个）",
        "亿元",
        "增速（%）",
        "亿元",
        "增速（%）",
        "营业收入位次",
    ]
    assert set(rule) == {"-", " "} and first.split()[:3] == ["长沙高新区", "1200", "3456.7"]
    # the figure starts in the column of its header on screen (Chinese characters are two wide)
    assert display_width(first[: first.index("3456.7")]) == display_width(header[: header.index("亿元")])


def test_csv_attachment_in_gb18030(tmp_path):
    path = tmp_path / "2022年高新区营业收入.csv"
    path.write_bytes("区域,营业收入（亿元）\n长沙高新区,3456.7\n株洲高新区,1234.5\n".encode("gb18030"))
    records = extract_metrics(read_path(path))
    assert [(r["zone_id"], r["indicator"], r["value"], r["period"]) for r in records] == [
        ("changsha", "revenue", 345670000000, "2022"),
        ("zhuzhou", "revenue", 123450000000, "2022"),
    ]


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500  # the start of an OLE (Office 97-2003) file


@pytest.mark.parametrize(
    ("name", "data", "message", "flag"),
    [
        ("locked.pdf", None, "password-protected PDF", "password_protected"),
        ("scanned.pdf", None, "scanned PDF: only images, no text layer", "scanned_pdf"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj garbage", "corrupt PDF", "corrupt_attachment"),
        ("broken.xlsx", b"PK\x03\x04 not really a zip", "corrupt spreadsheet", "corrupt_attachment"),
        (
            "locked.xlsx",  # an encrypted Office file: an OLE container with an EncryptedPackage
            OLE + "EncryptedPackage".encode("utf-16-le"),
            "password-protected spreadsheet",
            "password_protected",
        ),
        (
            "locked.docx",
            OLE + "EncryptedPackage".encode("utf-16-le"),
            "password-protected Word file",
            "password_protected",
        ),
        (
            "broken.docx",
            (TABLES / "comparison.docx").read_bytes()[:3000],
            "corrupt Word file",
            "corrupt_attachment",
        ),
        # a Word 97-2003 file (an OLE container with a WordDocument stream), whatever its name says
        ("old.doc", OLE + "WordDocument".encode("utf-16-le"), "legacy Word .doc", "unsupported_format"),
        ("old.docx", OLE + "WordDocument".encode("utf-16-le"), "legacy Word .doc", "unsupported_format"),
    ],
)
def test_unreadable_attachments_say_why_in_one_line(name, data, message, flag):
    data = data if data is not None else (TABLES / name).read_bytes()
    with pytest.raises(UnreadableInput) as e:
        read_attachment(data, doc="a", name=name)
    assert str(e.value).startswith(message) and "\n" not in str(e.value)
    assert e.value.flag == flag


def test_cli_reports_an_unreadable_attachment_and_goes_on():
    files = [str(TABLES / "locked.pdf"), str(TABLES / "monthly.xlsx")]
    result = CliRunner().invoke(cli, ["metrics", *files, "--format", "jsonl"])
    assert result.exit_code == 1
    assert "locked.pdf: password-protected PDF" in result.output
    assert "Traceback" not in result.output
    assert len([line for line in result.output.splitlines() if line.startswith("{")]) == len(MONTHLY)


def test_month_columns_last_year_and_a_unit_in_the_caption():
    text = (
        "2023年9月高新区主要经济指标\n发布时间：2023-10-18\n"
        "表1 2023年9月高新区主要经济指标（单位：万元）\n"
        "指标 | 本月 | 1-9月累计 | 上年同期 | 同比增长%\n"
        "其中：规模以上工业总产值 | 5,000 | 45,000 | 40,000 | 12.5\n"
        "（一）固定资产投资 | 800 | 7,200 | 8,000 | -10.0\n"
    )
    doc = read_document(text.encode(), doc="t")
    assert (doc.tables[0].caption, doc.tables[0].unit) == ("表1 2023年9月高新区主要经济指标", "万元")
    got = {(r["indicator"], r["period"], r["kind"]): r["value"] for r in extract_metrics(doc)}
    assert got == {
        ("industrial_output", "2023-09", "level"): 50000000,
        ("industrial_output", "2023-01/2023-09", "level"): 450000000,
        ("industrial_output", "2022-01/2022-09", "level"): 400000000,
        ("industrial_output", "2023-01/2023-09", "growth"): 12.5,
        ("fixed_asset_investment", "2023-09", "level"): 8000000,
        ("fixed_asset_investment", "2023-01/2023-09", "level"): 72000000,
        ("fixed_asset_investment", "2022-01/2022-09", "level"): 80000000,
        ("fixed_asset_investment", "2023-01/2023-09", "growth"): -10,
    }


def test_a_calendar_widget_gives_no_figure():
    days = "".join(f"<td>{d}</td>" for d in range(1, 8))
    doc = _page(
        "<table><tr><th>日</th><th>一</th><th>二</th><th>三</th><th>四</th><th>五</th><th>六</th></tr>"
        f"<tr>{days}</tr><tr>{days}</tr></table>"
        "<table><tr><th>星期一</th><th>星期二</th></tr><tr><td>3</td><td>4</td></tr></table>"
    )
    assert table_records(extract_metrics(doc)) == []


def test_numbered_rows_a_unit_column_and_a_growth_column_against_last_year():
    records = extract_metrics(read_path(TABLES / "gov_halfyear.html"))
    half = "2024-01/2024-06"
    assert [(r["indicator"], r["value"], r["unit"], r["kind"], r["basis"], r["period"]) for r in records] == [
        ("gdp", 31245000000, "元", "level", "stock", half),
        ("gdp", 6.8, "%", "growth", "stock", half),
        ("industrial_value_added", 9.2, "%", "growth", "stock", half),  # its amount is `——`
        ("budget_revenue", 1853200000, "元", "level", "stock", half),
        ("budget_revenue", -4.1, "%", "growth", "stock", half),
        ("taxes_paid", 1501000000, "元", "level", "stock", half),  # `其中：税收收入`
        ("taxes_paid", 2.3, "%", "growth", "stock", half),
        ("foreign_trade", 1280000000, "美元", "level", "stock", half),
        ("foreign_trade", 15.6, "%", "growth", "stock", half),
        ("market_entities", 3215, "户", "level", "new", half),  # `新增市场主体`: an addition
        ("market_entities", 11, "%", "growth", "new", half),
    ]


def test_offsets_point_into_the_tables_text_form():
    from extractors.tablemetrics import tables_text

    doc = read_path(TABLES / "comparison.gb18030.html")
    text = doc.body + "\n" + tables_text(doc)
    for r in extract_metrics(doc):
        assert text[r["start"] : r["end"]] == r["text"]


def test_the_body_keeps_the_prose_but_not_the_table_cells():
    doc = read_path(TABLES / "monthly.html")
    assert doc.body.splitlines() == [
        "现将2023年1-9月长沙高新区主要经济指标完成情况发布如下。",
        "注：表中增速按可比价计算。",
    ]
    dump = read_document(
        "2022年指标\n指标\t长沙高新区\n营业收入（亿元）\t3456.7\n高新技术企业（家）\t2100\n".encode(), "t"
    )
    assert "3456.7" not in dump.body and dump.tables


def test_bare_year_columns():
    text = "高新区主要指标\n发布时间：2023-03-01\n指标 | 2021 | 2022\n营业收入（亿元） | 100 | 120.5\n专利授权（件） | 300 | 350\n"
    got = {
        (r["metric"], r["period"]): (r["value"], r["unit"])
        for r in extract_metrics(read_document(text.encode(), "t"))
    }
    assert got == {
        ("营业收入", "2021"): (10000000000, "元"),
        ("营业收入", "2022"): (12050000000, "元"),
        ("专利授权", "2021"): (300, "件"),
        ("专利授权", "2022"): (350, "件"),
    }


def test_a_pdf_bulletin_has_its_date_and_text_without_the_table_lines():
    doc = read_path(TABLES / "monthly.pdf")
    assert doc.date == "2023-10-20"  # the issue date, not the `2023年1-9月` of its title
    assert doc.title == "2023年1-9月长沙高新区主要经济指标"
    assert "发布日期：2023年10月20日" in doc.body and "2345.6" not in doc.body


# Word attachments

# what the comparison bulletin as .docx says: (subject, metric, unit, kind) -> value in base units
DOCX_COMPARISON = {
    ("长沙高新区", "营业收入", "元", "level"): 345670000000,
    ("长沙高新区", "营业收入", "%", "growth"): 10.2,
    ("长沙高新区", "工业总产值", "元", "level"): 210050000000,  # its unit from `单位：亿元` above
    ("株洲高新区", "营业收入", "元", "level"): 123450000000,
    ("株洲高新区", "营业收入", "%", "growth"): 8.8,
    ("株洲高新区", "工业总产值", "元", "level"): 98760000000,
    ("湘潭高新区", "营业收入", "元", "level"): 89010000000,  # its growth is `—`
    ("湘潭高新区", "工业总产值", "元", "level"): 60020000000,
    ("湖南省高新区", "营业收入", "元", "level"): 558130000000,  # the 合计 row, and the prose
    ("湖南省高新区", "营业收入", "%", "growth"): 9.5,
    ("湖南省高新区", "工业总产值", "元", "level"): 368830000000,
}


def test_a_word_bulletin_gives_its_text_tables_and_figures():
    doc = read_path(TABLES / "comparison.docx")
    assert (doc.title, doc.date) == ("2022年湖南省高新区主要经济指标", "2023-03-15")
    assert "全省高新区实现营业收入5581.3亿元" in doc.body
    assert "3456.7" not in doc.body and "长沙高新区" not in doc.body  # the table is no loose text
    (grid,) = doc.tables
    assert grid.header == [
        ["区域", "营业收入", "营业收入", "工业总产值"],  # merged across: repeated
        ["区域", "亿元", "增速（%）", "工业总产值"],  # merged down: repeated
    ]
    assert grid.unit == "亿元" and grid.rows[0] == ["长沙高新区", "3456.7", "10.2", "2100.5"]
    records = extract_metrics(doc)
    got = {(r["subject"], r["metric"], r["unit"], r["kind"]): r["value"] for r in records}
    assert got == DOCX_COMPARISON
    assert {r["period"] for r in records} == {"2022"}
    assert {r["zone_id"] for r in records if r["subject"] == "长沙高新区"} == {"changsha"}


def test_a_word_file_is_known_by_its_bytes_and_the_cli_reads_it():
    data = (TABLES / "comparison.docx").read_bytes()
    assert attachment_kind(data) == "docx"  # a URL without a suffix
    assert attachment_kind((TABLES / "monthly.xlsx").read_bytes()) == "xlsx"
    result = CliRunner().invoke(cli, ["metrics", str(TABLES / "comparison.docx"), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == len(DOCX_COMPARISON) + 2  # the 合计 row's two figures are also in the prose


def test_the_cli_says_a_legacy_doc_is_not_read_in_one_line(tmp_path):
    path = tmp_path / "附件1.doc"
    path.write_bytes(OLE + "WordDocument".encode("utf-16-le") + b"\0" * 100)
    result = CliRunner().invoke(cli, ["extract", str(path)])
    assert result.exit_code == 1
    assert "附件1.doc: legacy Word .doc (binary): not read" in result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output


# a site's body selector (sites.yaml `selectors`) gives one paragraph per element of the body

SELECTED_PAGE = """<html><head><meta charset="utf-8"><title>主要经济指标</title></head><body>
<h1 class="article-title">2023年1-9月长沙高新区主要经济指标</h1>
<div class="article-content">
<p>1-9月，长沙高新区实现营业收入2345.6亿元，同比增长8.5%。</p>
<div class="table-wrap"><table border="1">
<tr><td colspan="3">2023年1-9月长沙高新区主要经济指标</td></tr>
<tr><td colspan="3">单位：亿元</td></tr>
<tr><td rowspan="2">指标名称</td><td colspan="2">1-9月</td></tr>
<tr><td>累计</td><td>同比增长(%)</td></tr>
<tr><td>营业收入</td><td>2345.6</td><td>8.5</td></tr>
<tr><td>工业总产值</td><td>1234.5</td><td>6.2</td></tr>
<tr><td>固定资产投资</td><td>…</td><td>-3.4</td></tr>
</table></div>
<p>注：表中增速按可比价计算。</p>
</div></body></html>"""


def test_a_body_selector_does_not_keep_a_table_as_one_loose_paragraph():
    from scrapy.http import HtmlResponse

    from crawler.items import PageItem
    from crawler.pipelines import StorePipeline
    from crawler.spiders.base import SiteRules, ZoneSpider
    from extractors.document import read_page

    url = "http://127.0.0.1/xwzx/yqdt/20231020/1.html"
    data = SELECTED_PAGE.encode()
    rules = SiteRules(
        "t",
        "http://127.0.0.1/",
        [],
        r".",
        selectors={"title": "h1.article-title", "body": "div.article-content"},
    )
    selected = ZoneSpider(name="t").selected(HtmlResponse(url, body=data, encoding="utf-8"), rules)
    assert "2345.6" in selected["body"].splitlines()[1]  # the whole table came as one paragraph
    item = PageItem(
        url=url,
        final_url=url,
        status=200,
        headers={},
        body=data,
        fetched_at="",
        spider="t",
        selected=selected,
    )
    doc, records = StorePipeline.finish_document(item, "d", read_page(data, url=url), frozenset(), 100_000)
    assert doc.body.splitlines() == [
        "1-9月，长沙高新区实现营业收入2345.6亿元，同比增长8.5%。",  # prose quoting the table stays
        "注：表中增速按可比价计算。",
    ]
    (grid,) = doc.tables
    assert grid.header[0] == ["指标名称", "1-9月", "1-9月"] and grid.unit == "亿元"
    assert ("industrial_output", 123450000000, "元", "level", "2023-01/2023-09") in facts(records)
