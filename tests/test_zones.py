"""extractors.zones: zone mentions in text and the subject of each figure."""

from __future__ import annotations

import pytest

from extractors.metrics import extract_metrics
from extractors.records import Document
from extractors.zones import SubjectContext, find_mentions, zones_table_rows


def subjects(body: str, title: str | None = None, source: str | None = None) -> list[tuple]:
    """(text of the figure, subject, zone_id) for each metric of a document."""
    doc = Document(doc="t", body=body, title=title, source=source, date="2023-01-10")
    return [(m["text"], m["subject"], m["zone_id"]) for m in extract_metrics(doc)]


def subject_of(body: str, figure: str, **kw) -> tuple:
    found = [(s, z) for text, s, z in subjects(body, **kw) if text == figure]
    assert found, subjects(body, **kw)
    return found[0]


# mentions


@pytest.mark.parametrize(
    "text", ["长沙高新区", "长沙高新技术产业开发区", "长沙国家高新区", "长沙市高新区", "麓谷"]
)
def test_every_name_of_a_national_zone_finds_its_registry_id(text):
    (m,) = [m for m in find_mentions(f"近日,{text}召开大会") if m.kind == "zone"]
    assert (m.name, m.zone_id) == ("长沙高新区", "changsha")


def test_provincial_zones_are_recognised_by_their_place_names():
    text = "津市高新区、岳麓高新区和岳阳临港高新区"
    found = {m.name: m.zone_id for m in find_mentions(text) if m.kind == "zone"}
    assert found == {"津市高新区": None, "岳麓高新区": None, "岳阳临港高新区": None}


def test_words_before_a_bare_zone_are_not_place_names():
    kinds = {m.text: m.kind for m in find_mentions("提升高新区科技创新策源能力,推动全省高新区发展")}
    assert kinds == {"高新区": "deixis", "全省高新区": "group"}


def test_the_registry_fills_the_zones_table():
    rows = zones_table_rows()
    assert len(rows) >= 170
    assert {"id", "name", "short_name", "province", "city", "level", "aliases"} <= set(rows[0])
    changsha = next(r for r in rows if r["id"] == "changsha")
    assert (changsha["name"], changsha["province"]) == ("长沙高新技术产业开发区", "湖南省")


# subjects


def test_the_zone_named_in_the_sentence():
    assert subject_of("株洲高新区实现营业收入1000亿元。", "1000亿元") == ("株洲高新区", "zhuzhou")


def test_each_clause_has_its_own_zone():
    body = "长沙高新区实现营业收入2000亿元,株洲高新区实现营业收入1000亿元。"
    assert subject_of(body, "2000亿元")[0] == "长沙高新区"
    assert subject_of(body, "1000亿元")[0] == "株洲高新区"


def test_woqu_is_the_zone_of_the_title():
    body = "去年我区实现技工贸总收入5120.6亿元。"
    assert subject_of(body, "5120.6亿元", title="长沙高新区召开2023年工作会议") == ("长沙高新区", "changsha")


def test_quanqu_is_the_zone_of_the_source():
    body = "全区高新技术企业达到500家。"
    assert subject_of(body, "500家", source="株洲高新区管委会") == ("株洲高新区", "zhuzhou")


def test_gaiqu_is_the_zone_named_before():
    body = "衡阳高新区召开科技创新大会。会上通报,该区高新技术企业达300家。"
    assert subject_of(body, "300家") == ("衡阳高新区", "hengyang")


def test_a_sentence_without_a_subject_takes_the_one_before_it():
    body = "洛阳高新区去年成绩亮眼。全区市级以上创新平台达到446家。技术合同交易额16.8亿元。"
    assert subject_of(body, "16.8亿元") == ("洛阳高新区", "luoyang")


def test_the_province_of_the_title_names_the_provinces_zones():
    body = "2021年,全省高新区技术合同交易额376.96亿元,当年全省新增的6家国家级孵化器均落户高新区。"
    title = "湖南省高新区创新发展绩效评价报告发布"
    assert subject_of(body, "376.96亿元", title=title)[0] == "湖南省高新区"
    assert subject_of(body, "6家", title=title)[0] == "湖南省"


def test_quanshi_is_the_city_of_the_documents_zone():
    body = "全市高新技术企业达到1000家,我区占四成。"
    assert subject_of(body, "1000家", title="洛阳高新区2022年工作总结")[0] == "洛阳市"


def test_the_counted_zones_are_not_the_subject():
    body = "评价对象包括46家国家及省级高新区,其中国家高新区8家、省级高新区38家。"
    title = "湖南省高新区创新发展绩效评价报告发布"
    assert subject_of(body, "8家", title=title)[0] == "湖南省高新区"
    assert subject_of(body, "38家", title=title)[0] == "湖南省高新区"


def test_a_count_of_zones_belongs_to_their_group_not_to_an_example():
    body = "根据部署,在国家高新区推广积分制。杭州高新区等13家首批试点高新区负责人参加会议。"
    assert subject_of(body, "13家", title="长沙高新区入选试点") == ("国家高新区", None)


def test_a_count_of_national_zones_belongs_to_the_national_zones():
    body = "参评的168家国家高新区中,综合评价得分较上年提高的有139家。"
    assert subject_of(body, "168家") == ("国家高新区", None)


def test_a_place_or_an_evaluation_is_not_the_subject():
    body = "在国家高新区综合评价中,洛阳高新区位列第46位。"
    assert subject_of(body, "第46位") == ("洛阳高新区", "luoyang")
    body = "株洲高新区在2022年国家高新区综合评价中位列第28位。"
    assert subject_of(body, "第28位") == ("株洲高新区", "zhuzhou")


def test_a_zone_inside_an_examples_name_is_not_the_subject():
    body = "认定北京中关村创业大街孵化器等152家单位为国家级科技企业孵化器。"
    assert subject_of(body, "152家") == (None, None)


def test_the_scope_of_a_share_is_not_the_subject():
    body = "全省高新区完成了全省园区43.77%的技工贸总收入、40.38%的园区生产总值。"
    title = "湖南省高新区绩效评价报告"
    assert subject_of(body, "40.38%", title=title)[0] == "湖南省高新区"


def test_a_page_about_the_zone_of_its_city():
    body = "洛阳市科技局发布通报。高新区高新技术企业达到245家,洛阳市其他县区共120家。"
    assert subject_of(body, "245家") == ("洛阳高新区", "luoyang")


def test_no_subject_is_made_up():
    assert subject_of("企业100家。", "100家") == (None, None)
    # a general news page that names a city but never speaks of a zone
    assert subject_of("衡阳市民踊跃参加。活动吸引游客3000人。", "3000人") == (None, None)


@pytest.mark.parametrize("body", ["", "高新区" * 3000, "我区" * 5000, "《" * 1000 + "高新区", "全省" * 2000])
def test_bad_input_never_raises(body):
    ctx = SubjectContext(body, title=body[:50], source=None)
    for pos in (0, len(body) // 2, len(body)):
        ctx.subject_at(pos)


def test_a_provinces_report_names_its_own_zones():
    body = (
        "近日,省科技厅发布了《2022年度湖南省高新区发展报告》。2022年,全省44家省级及以上高新区实现"
        "技工贸总收入3.1万亿元。其中,9家国家高新区实现技工贸总收入1.9万亿元。"
    )
    title = "2022年全省高新区发展综述"
    assert subject_of(body, "44家", title=title)[0] == "湖南省高新区"
    assert subject_of(body, "3.1万亿元", title=title)[0] == "湖南省高新区"
    assert subject_of(body, "1.9万亿元", title=title)[0] == "湖南省国家高新区"
    # a zone's page speaks of the national zones
    assert subject_of("长沙高新区在国家高新区中排名第13位。国家高新区共有178家。", "178家")[0] == "国家高新区"


def test_the_frame_of_a_ranking_is_not_its_subject():
    body = "在全国169家国家高新区综合排名中位列第56位。"
    assert subject_of(body, "第56位", title="株洲高新区2022年工作总结") == ("株洲高新区", "zhuzhou")


def test_each_figure_of_a_fenbie_list_has_the_subject_listed_in_its_place():
    body = "郑州、洛阳、新乡、平顶山4家国家高新区冲进全国前100名,分别列第17位、第37位、第66位和第88位。"
    ctx = SubjectContext(body)
    figures = ["第17位", "第37位", "第66位", "第88位"]
    found = [ctx.subject_at(body.index(f), None, (i, 4)) for i, f in enumerate(figures)]
    assert found == [
        ("郑州高新区", "zhengzhou"),
        ("洛阳高新区", "luoyang"),
        ("新乡高新区", "xinxiang"),
        ("平顶山高新区", "pingdingshan"),
    ]
    # a list of figures of another length is not paired with the names
    assert ctx.subject_at(body.index("第17位"), None, (0, 3)) != ("郑州高新区", "zhengzhou")


def test_a_page_about_a_city_or_a_province():
    body = "据统计,今年1-6月,全市619家高新技术企业研发经费支出33.25亿元。"
    assert subject_of(body, "33.25亿元", title="长沙市上半年高新技术产业总产值增幅达45.97%")[0] == "长沙市"


def test_a_zone_page_that_never_names_its_zone():
    body = "1至9月,全区实现社会消费品零售总额71.06亿元。"
    assert subject_of(body, "71.06亿元", title="高新区前三季度经济运行整体平稳")[0] == "高新区"
    body = "上半年,三大主导产业产值同比增长31.9%。"
    assert subject_of(body, "31.9%", title="上半年经开区工业经济持续稳居全市第一")[0] == "经开区"


def test_development_zones_by_their_short_names():
    body = "合肥经济技术开发区实现规上工业总产值2111亿元。"
    assert subject_of(body, "2111亿元") == ("合肥经开区", None)


def test_the_zones_a_subject_is_compared_with_are_not_the_subject():
    body = "合肥高新区排名第四,仅次于北京中关村、上海张江和苏州工业园,综合质效排名全国第五。"
    assert subject_of(body, "第五")[0] == "合肥高新区"


def test_cities_in_a_ranking_are_the_subjects_of_their_ranks():
    body = "我省长沙高新区排名第16名,株洲第28名,湘潭第80名。"
    assert subject_of(body, "第28名")[0] == "株洲市"
    assert subject_of(body, "第80名")[0] == "湘潭市"


def test_a_group_before_an_amount_is_its_subject_and_before_a_rank_its_scope():
    body = "营业收入中,8个国家高新区实现营业收入7831.36亿元。西安高新区企业总数位居全国高新区第二位。"
    assert subject_of(body, "7831.36亿元")[0] == "国家高新区"
    assert subject_of(body, "第二位")[0] == "西安高新区"


def test_a_title_names_the_zone_before_the_group_it_ranks_in():
    body = "税收收入占合肥市比重达24.6%。"
    title = "2022年国家高新区综合评价排名出炉 合肥高新区升至第七"
    assert subject_of(body, "24.6%", title=title) == ("合肥高新区", "hefei")


def test_a_report_on_the_national_zones():
    body = "高新区企业数量达到18.2万家,同比增长9.8%。"
    assert subject_of(body, "9.8%", title="2021年国家高新区综合发展与数据分析报告")[0] == "国家高新区"
