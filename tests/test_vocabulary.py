"""The indicator vocabulary and the checks on metric names."""

from __future__ import annotations

import pytest

from extractors import vocabulary
from extractors.indicators import name_problem, trim_name
from extractors.normalise.script import unify_variants
from extractors.periods import PeriodContext

# The ids the design fixes; other tools rely on their meaning.
FIXED = [
    "gdp",
    "revenue",
    "tech_industry_trade_revenue",
    "industrial_output",
    "industrial_value_added",
    "high_tech_industry_output",
    "net_profit",
    "taxes_paid",
    "exports",
    "foreign_trade",
    "fdi_utilised",
    "fixed_asset_investment",
    "retail_sales",
    "budget_revenue",
    "rd_expenditure",
    "rd_intensity",
    "technology_contract_turnover",
    "national_evaluation_rank",
    "high_tech_enterprises",
    "tech_smes",
    "specialised_smes",
    "little_giants",
    "listed_companies",
    "above_scale_industrial_enterprises",
    "surveyed_enterprises",
    "market_entities",
    "registered_enterprises",
    "incubators",
    "maker_spaces",
    "rd_institutions",
    "employees",
    "rd_personnel",
    "invention_patents_granted",
    "valid_invention_patents",
    "area",
    "provincial_evaluation_rank",
]


def test_the_vocabulary_has_the_fixed_ids_once_each():
    ids = [i.id for i in vocabulary.indicators()]
    assert len(ids) == len(set(ids)) >= 100
    assert set(FIXED) <= set(ids)
    kinds = {"level", "growth", "share", "rank", "change", "target"}
    for i in vocabulary.indicators():
        assert i.name_zh and i.name_en and i.unit and set(i.kinds) <= kinds, i.id


def test_every_phrase_names_one_indicator():
    seen: dict[str, str] = {}
    for i in vocabulary.indicators():
        for phrase in (i.name_zh, *i.aliases):
            key = vocabulary.base_form(phrase)
            assert seen.setdefault(key, i.id) == i.id, (phrase, seen[key], i.id)


@pytest.mark.parametrize(
    "name, id",
    [
        ("园区有效期内高新技术企业总数", "high_tech_enterprises"),
        ("高企", "high_tech_enterprises"),
        ("河北省高新技术企业", "high_tech_enterprises"),
        ("技术工贸总收入", "tech_industry_trade_revenue"),
        ("规上工业增加值", "industrial_value_added"),
        ("市场主体存量", "market_entities"),
        ("国家级科技企业孵化器", "national_incubators"),
        ("专精特新“小巨人”企业", "little_giants"),
        ("软件和信息技术服务业营业收入", None),
        ("每平方公里高新技术企业", "high_tech_enterprises_per_km2"),
        ("企业", None),
    ],
)
def test_names_resolve_to_ids(name, id):
    assert vocabulary.resolve(name) == id


def test_a_figure_in_the_wrong_unit_is_not_the_indicator():
    assert vocabulary.resolve("研发投入", "元", "level") == "rd_expenditure"
    assert vocabulary.resolve("研发投入", "%", "level") is None  # a ratio, not an amount
    assert vocabulary.resolve("研发投入", "%", "growth") == "rd_expenditure"
    assert vocabulary.resolve("高新技术企业", "个", "level") == "high_tech_enterprises"


@pytest.mark.parametrize(
    "name, before, id",
    [
        ("综合排名", "在2022年国家高新区综合评价中，株洲高新区", "national_evaluation_rank"),
        ("综合排名", "兰州、白银高新区在全国169家高新区中", "national_evaluation_rank"),
        ("年度全省园区综合排名", "在2022年度全省园区综合评价中，常德高新区", "provincial_evaluation_rank"),
        ("国家级高新区排名", "在最新公布的评价结果中，", "national_evaluation_rank"),
        ("排名", "营业收入增速", None),
        ("综合排名", "在某项评比中", None),
    ],
)
def test_generic_rank_names_take_their_evaluation_from_the_sentence(name, before, id):
    assert vocabulary.resolve_rank(name, before) == id


@pytest.mark.parametrize(
    "name, problem",
    [
        ("天使母基金和", "junk"),
        ("目标不动摇", "junk"),
        ("比前三季度", "junk"),
        ("金构入我区", "junk"),
        ("数量", "generic"),
        ("产值", "generic"),
        ("高新技术企业", None),
        ("在建项目数", None),
        ("从业人员", None),
        ("占地面积", None),
        ("第三产业增加值占比", None),
    ],
)
def test_name_problems(name, problem):
    assert name_problem(name) == problem


def test_trim_name_cuts_function_words_left_at_the_end():
    assert trim_name("天使母基金和") == "天使母基金"
    assert trim_name("高新技术企业合") == "高新技术企业"
    assert trim_name("产教融合") == "产教融合"


def test_variant_forms_are_unified():
    assert unify_variants("陜西省高新区") == ("陕西省高新区", 1)
    assert unify_variants("陕西省高新区") == ("陕西省高新区", 0)


def test_a_statistical_bulletin_s_title_dates_its_sections():
    body = "一、综合\n全区地区生产总值543.62亿元。\n二、工业\n全区工业增加值300.41亿元。"
    ctx = PeriodContext(body, "2021-06-17", "2020年潍坊高新区国民经济和社会发展统计公报")
    assert ctx.period_at(body.index("543")) == ctx.period_at(body.index("300")) == "2020"
    # a title that is not a statistical report dates nothing it does not say
    ctx = PeriodContext(body, "2021-06-17", "潍坊高新区2020年工作总结")
    assert ctx.period_at(body.index("300")) is None
