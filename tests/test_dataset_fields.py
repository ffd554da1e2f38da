"""Metric records as data: indicator ids, stock/new/net, changes and targets, period bounds."""

from __future__ import annotations

import pytest

from extractors.metrics import extract_metrics
from extractors.records import Document


def metrics(body: str, date: str = "2022-12-22", title: str = "长沙高新区新闻") -> list[dict]:
    return extract_metrics(Document(doc="t", body=body, date=date, title=title))


def by_value(body: str, **kw) -> dict[float, dict]:
    return {r["value"]: r for r in metrics(body, **kw)}


def test_new_and_total_of_one_indicator_are_told_apart():
    rows = by_value("2022年，常德高新区全年新增高新技术企业65家，总数达到278家；新增规模以上工业企业42家。")
    assert (rows[65]["indicator"], rows[65]["basis"], rows[65]["kind"]) == (
        "high_tech_enterprises",
        "new",
        "level",
    )
    assert (rows[278]["indicator"], rows[278]["basis"], rows[278]["kind"]) == (
        "high_tech_enterprises",
        "stock",
        "level",
    )
    assert rows[278]["subject"] == rows[65]["subject"] == "常德高新区"
    assert rows[42]["basis"] == "new"


def test_valid_total_and_net_change():
    rows = by_value("截至2022年底，园区有效期内高新技术企业达2168家，较上年净增312家。")
    assert (rows[2168]["indicator"], rows[2168]["basis"], rows[2168]["kind"]) == (
        "high_tech_enterprises",
        "stock",
        "level",
    )
    assert (rows[312]["indicator"], rows[312]["basis"], rows[312]["kind"]) == (
        "high_tech_enterprises",
        "net",
        "change",
    )
    # the net change is the change over 2022, the total is the count at its end
    assert (rows[312]["period_start"], rows[312]["period_end"]) == ("2022-01-01", "2022-12-31")
    assert (rows[2168]["period_start"], rows[2168]["period_end"]) == (None, "2022-12-31")


@pytest.mark.parametrize(
    "body, value, name",
    [
        ("2022年，全区市场主体净增11152户。", 11152, "市场主体"),
        ("2022年，专利授权量比上年增加182项。", 182, "专利授权量"),
        ("2022年，规上工业企业较上年减少3家。", -3, "规上工业企业"),
    ],
)
def test_absolute_changes_are_changes_not_levels(body, value, name):
    (r,) = metrics(body)
    assert (r["kind"], r["basis"], r["value"], r["metric"]) == ("change", "net", value, name)


def test_a_density_is_never_the_count():
    rows = by_value("2022年，园区高新技术企业2168家；每平方公里聚集高新技术企业15家。")
    assert rows[2168]["indicator"] == "high_tech_enterprises"
    assert rows[15]["metric"].startswith("每平方公里")
    assert rows[15]["indicator"] != "high_tech_enterprises"


def test_a_rate_takes_the_basis_of_the_figure_it_follows():
    rows = by_value("今年一季度，长沙高新区新增市场主体6126户，同比增长18.7%。", date="2023-04-20")
    assert (rows[6126]["indicator"], rows[6126]["basis"]) == ("market_entities", "new")
    assert (rows[18.7]["indicator"], rows[18.7]["basis"], rows[18.7]["kind"]) == (
        "market_entities",
        "new",
        "growth",
    )
    assert (rows[6126]["period_type"], rows[6126]["period_end"]) == ("quarter", "2023-03-31")


def test_a_figure_for_a_later_period_than_the_page_is_a_target():
    (r,) = metrics("到“十四五”末，园区高新技术企业达到220家左右。", date="2022-05-01")
    assert (r["kind"], r["value"], r["period_end"]) == ("target", 220, "2025-12-31")
    (r,) = metrics("到“十四五”末，园区高新技术企业达到220家。", date="2026-03-01")
    assert r["kind"] == "level"  # told after the fact, it is what was reached


@pytest.mark.parametrize(
    "body, indicator",
    [
        ("2022年，园区实现营业收入1200亿元。", "revenue"),
        ("2022年，园区实现地区生产总值520亿元。", "gdp"),
        ("2022年，园区生产总值达到520亿元。", "gdp"),
        ("2022年，园区完成工业总产值980亿元。", "industrial_output"),
        ("2022年，全区市场主体达到3.2万户。", "market_entities"),
        ("2022年，全区新增市场主体4200户。", "market_entities"),
        ("2022年，园区纳统企业达到560家。", "surveyed_enterprises"),
        ("园区规划面积140平方公里。", "area"),
        ("2022年，园区技工贸总收入1036.8亿元。", "tech_industry_trade_revenue"),
        ("2022年，国家高新区内高新技术企业数量达到11.5万家。", "high_tech_enterprises"),
    ],
)
def test_key_figures_carry_their_indicator(body, indicator):
    (r,) = metrics(body)
    assert r["indicator"] == indicator


def test_a_zone_rank_in_the_national_evaluation():
    rows = metrics("在2022年国家高新区综合评价中，株洲高新区位列第28位，较上年上升3个位次。")
    rank = next(r for r in rows if r["kind"] == "rank")
    assert (rank["indicator"], rank["value"], rank["subject"]) == (
        "national_evaluation_rank",
        28,
        "株洲高新区",
    )


def test_a_sector_amount_is_not_the_zone_total():
    (r,) = metrics("2022年，长沙高新区软件和信息技术服务业实现营业收入1218.6亿元。")
    assert r["indicator"] != "revenue"


def test_the_variant_form_of_shaanxi_is_recognised():
    from extractors.document import read_document

    doc = read_document("陜西省高新区2021年营业收入1.2万亿元。".encode(), doc="t")
    (r,) = extract_metrics(doc)
    assert r["subject"].startswith("陕西")


def test_a_rate_is_about_the_subject_of_the_figure_it_follows():
    rows = metrics(
        "2022年，株洲高新区营业收入1500亿元，湘潭高新区营业收入1200亿元，分别增长10%和8%。", title="新闻"
    )
    subjects = {r["value"]: r["subject"] for r in rows}
    assert subjects[10] == subjects[1.5e11] == "株洲高新区"
    assert subjects[8] == subjects[1.2e11] == "湘潭高新区"


def test_list_items_keep_their_own_subjects():
    body = "兰州、白银高新区在全国169家高新区中综合排名分别位列第65名和第128名，较上年排名分别上升5位和1位。"
    rows = {(r["kind"], r["value"]): r for r in metrics(body, date="2021-03-01", title="新闻")}
    assert rows[("rank", 65)]["subject"] == rows[("change", 5)]["subject"] == "兰州高新区"
    assert rows[("rank", 128)]["subject"] == rows[("change", 1)]["subject"] == "白银高新区"
    assert rows[("rank", 128)]["indicator"] == "national_evaluation_rank"


def test_a_bare_yuanqu_is_the_page_s_zone():
    body = "2022年，西安高新区营业收入2.3万亿元。\n园区新增市场主体2.6万户，园区市场主体总量达到18万户。"
    rows = by_value(body, title="西安高新区2022年经济运行情况")
    assert rows[26000]["subject"] == rows[180000]["subject"] == "西安高新区"
    assert (rows[26000]["basis"], rows[180000]["basis"]) == ("new", "stock")


def test_a_page_that_names_only_one_zone_is_about_it():
    body = (
        "2014年，合肥高新区地区生产总值444.7亿元。\n刚刚过去的一年里，合肥高新区完成工业投资220.6亿元。\n"
        "产业结构不断优化。战略性新兴产业实现产值425.7亿元。"
    )
    rows = by_value(body, title=None)
    assert rows[42570000000]["subject"] == "合肥高新区"
