"""extractors.periods: the period a figure is for, from the time words around it."""

from __future__ import annotations

import pytest

from extractors.periods import PeriodContext, find_time_refs, year_spans


def period_of(body: str, figure: str, date: str | None = "2022-07-15") -> str | None:
    """The period in force where FIGURE starts in BODY."""
    return PeriodContext(body, date).period_at(body.index(figure))


def test_a_sentence_initial_year_governs_what_follows_in_the_paragraph():
    body = "2021年,全省高新区建成研发平台1422个;技术合同交易额376.96亿元。当年新增孵化器6家。"
    assert period_of(body, "1422个") == "2021"
    assert period_of(body, "376.96亿元") == "2021"
    assert period_of(body, "6家") == "2021"


def test_the_year_in_force_changes_when_the_text_names_another():
    body = "2020年企业100家,2021年企业120家。"
    assert period_of(body, "100家") == "2020"
    assert period_of(body, "120家") == "2021"


def test_the_next_paragraph_goes_on_in_the_same_year():
    body = "2022年,湘潭高新区新认定高新技术企业136家。\n全年完成规模以上工业总产值862.4亿元。"
    assert period_of(body, "862.4亿元") == "2022"


def test_a_top_level_heading_starts_afresh():
    body = "一、2021年工作回顾\n全区高新技术企业达到300家。\n二、下一步打算\n力争新增企业50家。"
    assert period_of(body, "300家") == "2021"
    assert period_of(body, "50家") is None


@pytest.mark.parametrize(
    "body, figure, period",
    [
        ("截至2022年底,全区高新技术企业100家", "100家", "2022"),
        ("截至2022年6月底,企业100家", "100家", "2022-06"),
        ("2021年度,企业100家", "100家", "2021"),
        ("二〇二一年,企业100家", "100家", "2021"),
        ("2022年1-6月,营业收入500亿元", "500亿元", "2022-01/2022-06"),
        ("2022年上半年,营业收入500亿元", "500亿元", "2022-01/2022-06"),
        ("2016年至2020年,累计引进企业500家", "500家", "2016/2020"),
        ("2021—2025年,新增企业500家", "500家", "2021/2025"),
        ("截至2022年12月31日,企业100家", "100家", "2022-12-31"),
    ],
)
def test_explicit_periods(body, figure, period):
    assert period_of(body, figure) == period


@pytest.mark.parametrize(
    "body, date, period",
    [
        ("上年,全区企业100家", "2022-03-01", "2021"),
        ("去年全区企业100家", "2022-03-01", "2021"),
        ("今年全区企业100家", "2022-03-01", "2022"),
        ("前年全区企业100家", "2022-03-01", "2020"),
        ("目前全区企业100家", "2022-03-01", "2022"),
        ("区内现有企业100家", "2022-03-01", "2022"),
        ("截至目前,全区企业100家", "2022-03-01", "2022"),
        ("今年上半年,企业100家", "2022-08-01", "2022-01/2022-06"),
        ("1-6月,全区企业100家", "2022-07-15", "2022-01/2022-06"),
        # a month after the document's own is last year's: a January report on 1-11月
        ("1-11月,全区企业100家", "2023-01-10", "2022-01/2022-11"),
        ("前三季度,全区企业100家", "2022-10-20", "2022-01/2022-09"),
    ],
)
def test_relative_periods_are_read_against_the_document_date(body, date, period):
    assert period_of(body, "100家", date) == period


def test_relative_periods_without_a_document_date_are_unknown():
    assert period_of("去年全区企业100家", "100家", date=None) is None
    assert period_of("目前全区企业100家", "100家", date=None) is None
    # and they do not let an earlier year run on
    assert period_of("2020年召开大会,目前全区企业100家", "100家", date=None) is None


@pytest.mark.parametrize(
    "body, period",
    [
        ("十四五期间,新增企业100家", "2021/2025"),
        ("“十四五”时期,新增企业100家", "2021/2025"),
        ("十三五期间,新增企业100家", "2016/2020"),
        ("“十四五”开局之年,新增企业100家", "2021"),
        ("十三五收官之年,新增企业100家", "2020"),
    ],
)
def test_five_year_plans(body, period):
    assert period_of(body, "100家") == period


@pytest.mark.parametrize(
    "body",
    [
        "20xx年我区完成入库100家",
        "20XX年,全区企业100家",
        "20××年,全区企业100家",
        "2021年企业80家。截至目前20xx年完成入库100家",
    ],
)
def test_placeholder_years_give_no_period(body):
    assert period_of(body, "100家") is None


def test_comparison_bases_are_not_periods():
    assert period_of("营业收入500亿元,比2020年增长12%", "12%") is None
    assert period_of("营业收入500亿元,较上年增长12%", "12%") is None
    assert period_of("与2020年相比,营业收入增长12%", "12%") is None
    assert period_of("2021年,营业收入比上年增长12%", "12%") == "2021"
    refs = find_time_refs("比上年同期增长12%,2020年同期为10%", "2022-01-01")
    assert [r.role for r in refs] == ["base", "base"]


def test_years_in_titles_of_works_are_not_periods():
    assert period_of("《2021年度高新区评价报告》显示,企业100家", "100家") is None


def test_no_period_is_invented_from_numbers_that_are_not_years():
    body = "全区高新技术企业总数达到1687家,研发平台2021个。"
    assert period_of(body, "1687家") is None
    assert find_time_refs(body) == []


def test_a_day_without_a_year_takes_the_document_year():
    body = "12月9日,火炬中心召开协调会,13家高新区参加。"
    assert period_of(body, "13家", "2020-12-18") == "2020-12-09"


def test_year_spans_cover_dates_and_document_numbers():
    text = "国科发火〔2020〕12号文件于2021.12印发,12月21日召开,20xx年实施"
    spans = [text[a:b] for a, b in year_spans(text)]
    assert "〔2020〕" in spans and "2021.12" in spans and "12月21日" in spans and "20xx年" in spans


@pytest.mark.parametrize("body", ["", "年" * 1000, "2021年" * 2000, "1-" * 3000 + "月", "十四五" * 500])
def test_bad_input_never_raises(body):
    ctx = PeriodContext(body, "2022-01-01")
    for pos in (0, len(body) // 2, len(body)):
        ctx.period_at(pos)


def test_quannian_is_the_whole_year_in_force():
    body = "截至6月底,园区共有上市企业21家。下一步,力争全年技工贸总收入突破2700亿元。"
    assert period_of(body, "21家", "2023-07-20") == "2023-06"
    assert period_of(body, "2700亿元", "2023-07-20") == "2023"


def test_since_a_party_congress_runs_to_the_document_year():
    assert period_of("党的十八大以来,全区高新技术企业增加到1000家", "1000家", "2022-10-01") == "2012/2022"


@pytest.mark.parametrize(
    "body", ["2020年召开大会。近三年,累计引进企业100家", "2020年召开大会。近年来,引进企业100家"]
)
def test_years_counted_back_from_an_unfixed_date_are_unknown(body):
    assert period_of(body, "100家") is None


def test_a_founding_told_as_background_dates_no_figure():
    body = "2022年,全区营收增长。该区是1992年经国务院批准的国家级高新区,规划区总面积35平方公里。"
    assert period_of(body, "35平方公里") == "2022"
    assert period_of("长沙高新区成立于1988年,规划面积达到100平方公里", "100平方公里") is None


def test_a_base_is_the_time_of_the_figure_right_after_it():
    body = "2022年排名第9位,较上年度第11位提升2位;营收增长12%,上年同期为10%。"
    assert period_of(body, "第9位", "2022-12-01") == "2022"
    assert period_of(body, "第11位", "2022-12-01") == "2021"
    assert period_of(body, "10%", "2022-12-01") == "2021"
    assert period_of(body, "12%", "2022-12-01") == "2022"
    assert period_of("2023年企业达到90家,在2022年的基础上翻番", "90家") == "2023"


@pytest.mark.parametrize(
    "body, figure, date, bounds",
    [
        ("2022年,营业收入500亿元", "500亿元", None, ("2022-01-01", "2022-12-31", "year")),
        ("截至2022年底,企业100家", "100家", None, (None, "2022-12-31", "as_of")),
        ("截至2022年6月底,企业100家", "100家", None, (None, "2022-06-30", "as_of")),
        ("截至2022年12月31日,企业100家", "100家", None, (None, "2022-12-31", "as_of")),
        ("2022年1-9月,营业收入500亿元", "500亿元", None, ("2022-01-01", "2022-09-30", "ytd")),
        ("今年前三季度,营业收入500亿元", "500亿元", "2022-10-20", ("2022-01-01", "2022-09-30", "ytd")),
        ("一季度,营业收入500亿元", "500亿元", "2023-04-20", ("2023-01-01", "2023-03-31", "quarter")),
        ("2022年三季度,营业收入500亿元", "500亿元", None, ("2022-07-01", "2022-09-30", "quarter")),
        ("上半年,营业收入500亿元", "500亿元", "2023-08-01", ("2023-01-01", "2023-06-30", "half")),
        ("2024年2月,营业收入50亿元", "50亿元", None, ("2024-02-01", "2024-02-29", "month")),
        ("“十四五”期间,新增企业500家", "500家", None, ("2021-01-01", "2025-12-31", "plan")),
        ("到“十四五”末,企业达到500家", "500家", None, (None, "2025-12-31", "as_of")),
        ("2016年至2020年,累计引进企业500家", "500家", None, ("2016-01-01", "2020-12-31", "plan")),
        ("2020年以来,引进企业500家", "500家", "2022-07-15", ("2020-01-01", "2022-07-15", "since")),
        ("目前,全区企业500家", "500家", "2022-07-15", (None, "2022-07-15", "as_of")),
        ("12月9日,13家高新区参加", "13家", "2020-12-18", ("2020-12-09", "2020-12-09", "day")),
    ],
)
def test_periods_as_data(body, figure, date, bounds):
    found = PeriodContext(body, date).at(body.index(figure))
    assert (found.start, found.end, found.type) == bounds


def test_unknown_periods_have_no_bounds():
    assert PeriodContext("20xx年,企业100家", "2022-01-01").at(9) is None
    assert PeriodContext("近三年,企业100家", "2022-01-01").at(9) is None
