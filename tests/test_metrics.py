"""extract_metrics: the figures a researcher reads from a zone document, as records."""

from __future__ import annotations

import random

import pytest
from conftest import seed

from extractors.document import read_document
from extractors.metrics import extract_metrics
from extractors.records import Document


def metrics(body: str, date: str | None = "2022-12-22", title: str | None = None) -> list[dict]:
    return extract_metrics(Document(doc="t", body=body, date=date, title=title))


def one(body: str, **kw) -> dict:
    rows = metrics(body, **kw)
    assert len(rows) == 1, [(r["metric"], r["value"], r["unit"], r["kind"]) for r in rows]
    return rows[0]


def facts(rows: list[dict]) -> list[tuple]:
    return [(r["metric"], r["value"], r["unit"], r["kind"]) for r in rows]


# counts, money, areas


def test_count_with_the_indicator_before_it():
    r = one("高新技术企业4399家")
    assert (r["metric"], r["value"], r["unit"], r["kind"]) == ("高新技术企业", 4399, "家", "level")
    assert r["text"] == "4399家" and (r["start"], r["end"]) == (6, 11)


def test_money_in_base_units():
    r = one("技术合同交易额376.96亿元")
    assert (r["metric"], r["value"], r["unit"]) == ("技术合同交易额", 37696000000, "元")
    assert one("实现营业收入1.85亿元")["value"] == 185000000
    assert one("实际利用外资3.2亿美元")["unit"] == "美元"
    assert one("全区生产总值1.2万亿元")["value"] == 1.2e12


def test_yuan_is_implied_for_money_indicators():
    r = one("技术合同交易额达到16.8 亿。")
    assert (r["metric"], r["value"], r["unit"]) == ("技术合同交易额", 1680000000, "元")


def test_area():
    r = one("规划面积564.7平方公里")
    assert (r["metric"], r["value"], r["unit"], r["kind"]) == ("规划面积", 564.7, "平方公里", "level")


def test_the_indicator_is_the_phrase_without_subject_verb_or_level_qualifier():
    r = one("2021年,全省高新区建成省级及以上研发平台1422个。")
    assert (r["metric"], r["value"], r["unit"], r["period"]) == ("研发平台", 1422, "个", "2021")
    assert one("高新区实现进出口总额1281.67亿元")["metric"] == "进出口总额"
    assert one("(其中市级以上研发平台416家)")["metric"] == "研发平台"


def test_counted_noun_after_the_measure_word():
    assert one("评价对象包括46家国家及省级高新区。")["metric"] == "国家及省级高新区"
    assert one("当年全省新增的6家国家级科技企业孵化器均落户于高新区")["metric"] == "国家级科技企业孵化器"
    assert one("遴选了杭州高新区等13家具备条件的国家高新区启动首批试点")["metric"] == "国家高新区"


def test_a_later_value_of_the_same_indicator():
    rows = metrics("新增上市企业2家，累计达到26家")
    assert facts(rows) == [("上市企业", 2, "家", "level"), ("上市企业", 26, "家", "level")]
    rows = metrics("农村社区综合服务设施覆盖率由31.8%上升到84.6%")
    assert [r["metric"] for r in rows] == ["农村社区综合服务设施覆盖率"] * 2


def test_a_count_of_organisations_ends_at_the_organisation_noun():
    r = metrics("高新区在全国169家国家高新区综合评价中排名第18位")[0]
    assert (r["metric"], r["value"], r["unit"]) == ("国家高新区", 169, "家")


# growth, shares, ranks, changes


def test_growth_attaches_to_the_figure_it_follows():
    rows = metrics("技术合同交易额376.96亿元,同比增长49.85%")
    assert facts(rows) == [
        ("技术合同交易额", 37696000000, "元", "level"),
        ("技术合同交易额", 49.85, "%", "growth"),
    ]


def test_a_fall_is_negative_growth():
    r = one("营业收入同比下降3.2%")
    assert (r["metric"], r["value"], r["kind"]) == ("营业收入", -3.2, "growth")


def test_fenbie_gives_each_rate_to_its_own_metric():
    rows = metrics("高新技术企业4399家、科技型中小企业4424家,同比分别增长20.32%、47.12%")
    assert facts(rows)[2:] == [
        ("高新技术企业", 20.32, "%", "growth"),
        ("科技型中小企业", 47.12, "%", "growth"),
    ]


def test_fenbie_gives_each_count_its_own_metric():
    rows = metrics("高新技术企业和科技型中小企业分别为4399家、4424家")
    assert facts(rows) == [("高新技术企业", 4399, "家", "level"), ("科技型中小企业", 4424, "家", "level")]


def test_share_of_a_total():
    rows = metrics("建成研发平台1422个,占全省园区研发平台总量的68.10%")
    assert facts(rows)[1] == ("研发平台", 68.1, "%", "share")


@pytest.mark.parametrize(
    "body, metric, value",
    [
        ("完成了全省园区43.77%的技工贸总收入、40.38%的园区生产总值", "技工贸总收入", 43.77),
        ("以占全省产业园区33.09%的数量", "产业园区数量", 33.09),
        ("全省75%的科创板上市企业落户高新区", "科创板上市企业", 75),
        ("高新技术产业增加值占比达45%", "高新技术产业增加值", 45),
        ("R&D经费占GDP比重为3.5%", "R&D经费", 3.5),
        ("全市1/2的高新技术企业集中在高新区", "高新技术企业", 50),
        ("九成以上企业为民营企业", "企业", 90),
    ],
)
def test_shares(body, metric, value):
    r = metrics(body)[0]
    assert (r["metric"], r["value"], r["unit"], r["kind"]) == (metric, value, "%", "share")


def test_share_written_as_a_fraction_refers_to_the_figure_before():
    rows = metrics("入选洛阳市高企培育库企业93家,全市占比五分之一")
    assert rows[1]["kind"] == "share" and rows[1]["value"] == 20 and "培育库" in rows[1]["metric"]


def test_per_mille_share():
    r = one("研发投入强度为千分之六")
    assert (r["metric"], r["value"], r["unit"], r["kind"]) == ("研发投入强度", 0.6, "%", "share")


@pytest.mark.parametrize(
    "body, value",
    [("综合排名上升至第13位", 13), ("高新区综合实力居全国第5", 5), ("营业收入位列全市第一", 1)],
)
def test_ranks(body, value):
    r = one(body)
    assert (r["value"], r["unit"], r["kind"]) == (value, "位", "rank")


def test_rank_in_an_evaluation_names_the_evaluation_not_the_zone():
    rows = metrics("在国家高新区综合评价中，洛阳高新区位列第46位，较上年前进8位。")
    assert facts(rows) == [("综合排名", 46, "位", "rank"), ("综合排名", 8, "位", "change")]


def test_ordinals_inside_names_are_not_ranks():
    assert metrics("大量青年进入第三产业就业") == []
    assert metrics("服务业稳居国民经济第一大产业") == []


def test_rank_change_and_point_change():
    rows = metrics("综合评价排名上升至第13位，较上年上升3个位次")
    assert facts(rows) == [("综合排名", 13, "位", "rank"), ("综合排名", 3, "位", "change")]
    assert one("排名下降2个位次")["value"] == -2
    rows = metrics("研发投入强度达到4.5%，比上年提高2个百分点")
    assert facts(rows)[1] == ("研发投入强度", 2, "个百分点", "change")


# targets, approximations, periods


def test_money_values_are_written_amounts_not_float_noise():
    assert one("实现进出口额85.6亿元")["value"] == 8560000000


def test_a_goal_reported_as_reached_is_not_a_target():
    r = one("攻坚目标任务，到2020年底，实现了832个贫困县全部摘帽", date="2021-03-01")
    assert (r["metric"], r["kind"]) == ("贫困县", "level")


def test_targets():
    r = one("全年培育高企不少于60家")
    assert (r["metric"], r["value"], r["unit"], r["kind"], r["bound"]) == ("高企", 60, "家", "target", "min")
    r = one("力争到2025年高新技术企业达到1000家")
    assert (r["metric"], r["kind"]) == ("高新技术企业", "target")


@pytest.mark.parametrize(
    "body, approx, bound",
    [
        ("入驻企业近200家", True, None),
        ("集聚企业400余家", True, None),
        ("企业100多家", True, None),
        ("超过50家企业入驻", False, "min"),
        ("高新技术企业60家以上", False, "min"),
    ],
)
def test_approximations(body, approx, bound):
    r = one(body)
    assert (r["approx"], r["bound"]) == (approx, bound)


def test_placeholder_years_give_no_period():
    r = one("20xx 年我区完成国家科技型中小企业评价入库 318 家")
    assert (r["metric"], r["value"], r["period"]) == ("国家科技型中小企业", 318, None)


def test_sentence_initial_year_governs_the_sentence():
    rows = metrics("2021年,全省高新区拥有高新技术企业4399家、科技型中小企业4424家。")
    assert [r["period"] for r in rows] == ["2021", "2021"]


# not metrics


@pytest.mark.parametrize(
    "body",
    [
        "根据国科发火〔2020〕12号文件",
        "第五条 本协会的宗旨",
        "一是强化资源配置。(二)完善政策法规",
        "实施“1264”发展战略",
        "推进“四个一”建设",
        "以三个代表重要思想为指导",
        "党的十九届五中全会精神",
        "“十四五”规划开局之年",
        "电话:0731-88888888,邮编410000",
        "2022年12月21日,成果发布会举行",
        "做好“高”和“新”两篇文章",
    ],
)
def test_labels_dates_and_names_are_not_metrics(body):
    assert metrics(body) == []


@pytest.mark.parametrize(
    "body",
    [
        "",
        "   \n ",
        "没有任何数字的一段文字。",
        "1" * 5000 + "家",
        "企业" * 20000 + "5家",
        "一" * 5000,
        "%" * 1000,
    ],
)
def test_bad_input_gives_no_records_or_sane_values(body):
    for r in metrics(body):
        assert r["value"] == r["value"] and abs(r["value"]) < 1e30


def test_random_text_never_raises():
    rng = random.Random(0)
    alphabet = "0123456789.,%-~第百分之千万亿元家个年成折负近约余多以上不少于占比重的同比增长下降排名居全国一二三十零两，。、（）“”\n"
    for _ in range(300):
        body = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 200)))
        for r in metrics(body):
            assert body[r["start"] : r["end"]] == r["text"]


def test_a_very_long_line_is_read():
    body = "，".join(["高新技术企业4399家"] * 3000)
    rows = metrics(body)
    assert len(rows) == 1  # the same figure repeated is one record


# whole documents


def test_a_repeated_figure_is_one_record():
    body = "高新技术企业4399家。\n摘要:高新技术企业4399家。"
    assert len(metrics(body)) == 1


def test_a_repeated_figure_takes_the_period_a_later_mention_states():
    body = "13家首批试点高新区负责人参加了会议。\n2020年,13家具备条件的国家高新区启动首批试点。"
    rows = metrics(body)
    assert [(r["value"], r["period"]) for r in rows] == [(13, "2020")]


def test_seed_report_figures():
    doc = read_document(seed("000").read_bytes(), doc="000")
    rows = extract_metrics(doc)
    found = {(r["metric"], r["value"], r["unit"], r["kind"], r["period"]) for r in rows}
    assert ("技术合同交易额", 37696000000, "元", "level", "2021") in found
    assert ("技术合同交易额", 49.85, "%", "growth", "2021") in found
    assert ("科技型中小企业", 47.12, "%", "growth", "2021") in found
    assert ("进出口总额", 128167000000, "元", "level", "2021") in found
    # the page carries a second copy of the article: each figure is still one record
    assert len([r for r in rows if r["value"] == 4399]) == 1
    for r in rows:
        assert doc.body[r["start"] : r["end"]] == r["text"]
        assert r["text"] in r["sentence"]


def test_seed_work_summary_with_placeholder_years():
    doc = read_document(seed("002").read_bytes(), doc="002")
    rows = extract_metrics(doc)
    money = [(r["metric"], r["value"]) for r in rows if r["unit"] == "元" and "技术合同" in r["metric"]]
    assert money == [("技术合同交易额", 1680000000), ("技术合同交易额", 1601000000)]
    assert all(r["period"] is None for r in rows if r["metric"] == "技术合同交易额")


def test_subject_from_the_text():
    r = one("2021年,全省高新区拥有高新技术企业4399家。", title="湖南省高新区创新发展绩效评价")
    assert "湖南" in (r["subject"] or "")


def test_a_threshold_inside_what_is_counted_is_not_a_figure():
    # the threshold stays in the name of the class it defines
    assert facts(metrics("上半年引进项目48个,其中投资10亿元以上项目9个。")) == [
        ("项目", 48, "个", "level"),
        ("投资10亿元以上项目", 9, "个", "level"),
    ]
    assert metrics("对研发投入在300万元以上的科技型企业给予奖补") == []
    assert one("营业收入达到100亿元以上。")["bound"] == "min"


def test_a_gap_to_another_figure_is_not_a_change():
    rows = metrics("规模以上工业增加值同比增长8.6%,高于全市平均水平1.2个百分点。")
    assert facts(rows) == [("规模以上工业增加值", 8.6, "%", "growth")]


def test_future_plans_with_jiang_are_targets():
    assert one("十四五期间,全省将新培育省级高新区10家以上。")["kind"] == "target"


def test_a_policys_rule_values_are_not_statistics():
    body = (
        "第二条 对首次认定的高新技术企业,给予20万元奖励。第三条 对新认定的国家级研发平台,给予最高500万元支持。"
        "第四条 企业年度研发投入超过1000万元的,按其增量部分的10%给予补助,单个企业每年最高不超过200万元。"
    )
    assert metrics(body) == []
    # what was paid out is a figure
    assert one("全年兑现奖补资金1.2亿元。")["value"] == 120000000


def test_a_net_increase_belongs_to_the_indicator_before_it():
    rows = metrics("全区高新技术企业达到425家,净增78家。")
    assert [r["metric"] for r in rows] == ["高新技术企业", "高新技术企业"]


# constructions of zone news and statistical reports


def test_a_sector_before_its_verb_stays_with_a_bare_indicator():
    rows = metrics("限额以上批发业完成销售额37.5亿元，增长0.7%；零售业完成销售额19.6亿元。")
    assert [r["metric"] for r in rows] == ["限额以上批发业销售额"] * 2 + ["零售业销售额"]
    assert one("一季度，该区重点项目完成投资30.03亿元。")["metric"] == "重点项目投资"
    assert one("全省高新区实现营业收入100亿元。")["metric"] == "营业收入"


@pytest.mark.parametrize(
    "body, metric, value",
    [
        ("园区生产总值12.33万亿元，同比名义增长7.11%。", "园区生产总值", 7.11),
        ("实现生产总值33.74亿元，比增9.2%。", "生产总值", 9.2),
        ("固定资产投资18.93亿元，比降3%。", "固定资产投资", -3),
    ],
)
def test_growth_written_as_nominal_or_bizeng(body, metric, value):
    r = metrics(body)[1]
    assert (r["metric"], r["value"], r["kind"]) == (metric, value, "growth")


def test_a_second_rate_with_no_amount_repeats_the_first_rates_indicator():
    rows = metrics("经开区规上工业增加值同比增长23.5%，两年平均增长14.8%。")
    assert facts(rows) == [("规上工业增加值", 23.5, "%", "growth"), ("规上工业增加值", 14.8, "%", "growth")]


def test_an_ordinal_inside_a_name_does_not_cut_the_name():
    assert one("其中第二产业增加值7.16万亿元。")["metric"] == "第二产业增加值"
    r = metrics("工业增加值占同期全国第二产业增加值比重16%。")[0]
    assert (r["metric"], r["kind"]) == ("工业增加值", "share")


def test_a_change_of_a_share_named_only_zhanbi():
    rows = metrics("第三产业增加值占全国比重为9.80%，占比较上半年提升0.2个百分点。")
    assert facts(rows)[1] == ("第三产业增加值占比", 0.2, "个百分点", "change")


def test_a_bare_total_keeps_its_owner_and_a_count_never_takes_an_amounts_name():
    rows = metrics(
        "目前国家高新区总数已达114家，2013年实现营业总收入20.3万亿元，其中55家成为“千亿俱乐部”成员。"
    )
    assert [(r["metric"], r["value"]) for r in rows] == [
        ("国家高新区总数", 114),
        ("营业总收入", 20.3e12),
        ("千亿俱乐部成员", 55),
    ]


def test_a_share_of_a_national_total_written_without_de():
    r = one("国家高新区集聚了全国50%以上高新技术企业。")
    assert (r["metric"], r["value"], r["kind"], r["bound"]) == ("高新技术企业", 50, "share", "min")


def test_a_dash_ends_the_clause_before_a_share():
    rows = metrics("实现增加值5.8万亿元——占全国GDP比重达10%以上。")
    assert facts(rows)[1] == ("增加值", 10, "%", "share")


@pytest.mark.parametrize(
    "body",
    [
        "中关村科技园区等国家高新区位列综合评价前50名。",
        "郑州高新区进入全国前50名。",
        "以新奥燃气等为代表的年产值20至30亿元的高新技术企业发展最快。",
        "湖南长城B1栋发货台。",
    ],
)
def test_thresholds_and_codes_are_not_figures(body):
    assert metrics(body) == []


def test_a_count_is_whole():
    rows = metrics("实现地区生产总值122.2亿元，增速高于全国、全省3.2个、10.8个百分点。")
    assert [r["unit"] for r in rows] == ["元"]  # 3.2个 is the first of two gaps, not a count


def test_a_bounded_count_that_defines_a_class_is_not_a_figure():
    assert facts(metrics("高新技术企业数量超过300家的园区共有65个。")) == [("园区", 65, "个", "level")]
    # a count of what it names is still a figure
    assert one("全市超过300家的高新技术企业落户园区。")["value"] == 300


def test_a_list_of_ranks_shares_its_ranking():
    rows = metrics("郑州、洛阳、新乡、平顶山4家国家高新区分别列第17位、第37位、第66位和第88位。")
    ranks = [(r["value"], r["kind"]) for r in rows if r["unit"] == "位"]
    assert ranks == [(17, "rank"), (37, "rank"), (66, "rank"), (88, "rank")]
    assert len({r["metric"] for r in rows if r["unit"] == "位"}) == 1
    rows = metrics("长沙高新区排名第16名，株洲第28名。")
    assert [(r["metric"], r["value"], r["kind"]) for r in rows] == [
        ("排名", 16, "rank"),
        ("排名", 28, "rank"),
    ]


def test_a_ranking_named_between_the_verb_and_di():
    rows = metrics("居中国城市创新能力百强榜第9位、全国数字经济百强市第13位，跃居全球科研城市第23位。")
    assert [(r["metric"], r["value"]) for r in rows] == [
        ("中国城市创新能力百强榜排名", 9),
        ("数字经济百强市排名", 13),
        ("科研城市排名", 23),
    ]
    assert one("位列全市第一")["metric"] == "排名"  # a scope names no ranking


def test_a_rank_among_a_count_of_peers():
    rows = metrics("年营业收入达到1.27万亿元，位居全国146个高新区第三位。")
    assert facts(rows)[-1] == ("年营业收入排名", 3, "位", "rank")


def test_a_rank_with_only_its_scope():
    rows = metrics("其中初创型企业49家，全国第一。")
    assert facts(rows)[1] == ("初创型企业排名", 1, "位", "rank")


def test_the_rank_of_the_year_before_and_ranks_written_with_ming():
    rows = metrics("青岛高新区在160家省级以上开发区中排名第5位，较上年度第11位上升6个位次。")
    assert [(r["value"], r["kind"]) for r in rows if r["unit"] == "位"] == [
        (5, "rank"),
        (11, "rank"),
        (6, "change"),
    ]
    rows = metrics("排名分别是：长沙高新区33名、长沙经开区38名。")
    assert [(r["value"], r["unit"], r["kind"]) for r in rows] == [(33, "位", "rank"), (38, "位", "rank")]
    rows = metrics("郑州高新区在20名的基础上提升3位，达到第17名。")
    assert [(r["value"], r["kind"]) for r in rows] == [(20, "rank"), (3, "change"), (17, "rank")]


def test_rank_moves_written_jinwei_or_jinwei_dadao():
    rows = metrics("提升最显著的枣庄高新区晋位20名。")
    assert [(r["value"], r["unit"], r["kind"]) for r in rows] == [(20, "位", "change")]
    assert one("新乡高新区进位达到10个位次。")["kind"] == "change"
    assert metrics("（晋升8名以上为显著提升）") == []


def test_a_rank_of_a_bare_quantity_word_names_the_count_before_it():
    rows = metrics("山东国家创新型产业集群试点总数达到15个，数量居全国第二位。")
    assert rows[1]["kind"] == "rank" and "产业集群试点" in rows[1]["metric"]


def test_a_duration_before_a_rank_is_not_its_indicator():
    rows = metrics("经开区规上工业增加值同比增长23.5%，持续6个月稳居全市第一。")
    assert "个月" not in rows[-1]["metric"] and rows[-1]["kind"] == "rank"


def test_size_classes_in_a_list_of_targets():
    rows = metrics(
        "全年目标是：新增20亿元企业、10亿元企业、亿元企业分别不少于1家、1家和7家。", date="2024-02-01"
    )
    assert facts(rows) == [
        ("20亿元企业", 1, "家", "target"),
        ("10亿元企业", 1, "家", "target"),
        ("亿元企业", 7, "家", "target"),
    ]


def test_fenbie_items_named_in_the_clause_before():
    rows = metrics(
        "我市高新技术改造传统产业、新材料技术、生物与新医药技术领跑前三，其产值分别为1037.77亿元、182.06亿元、133.12亿元。"
    )
    assert [r["metric"] for r in rows] == [
        "高新技术改造传统产业产值",
        "新材料技术产值",
        "生物与新医药技术产值",
    ]


def test_a_run_of_rates_without_fenbie_follows_the_amounts_before_it():
    rows = metrics(
        "全省44家高新区实现技工贸总收入22574.3亿元、高新技术产业主营业务收入12172.4亿元，年均增长16.05%、20.8%。"
    )
    assert facts(rows)[-2:] == [
        ("技工贸总收入", 16.05, "%", "growth"),
        ("高新技术产业主营业务收入", 20.8, "%", "growth"),
    ]


def test_places_sharing_an_indicator_and_a_parallel_share_list():
    rows = metrics(
        "苏南、苏中、苏北高新技术产业产值增幅分别为9.0%、12.3%、18.5%，占规上工业的比重分别为52.3%、49.8%、41.1%。"
    )
    assert [(r["metric"], r["kind"]) for r in rows] == [("高新技术产业产值", "growth")] * 3 + [
        ("高新技术产业产值", "share")
    ] * 3
    rows = metrics("航空航天、电子及通讯设备业的增幅分别为24.6%、18.6%。")
    assert [r["metric"] for r in rows] == ["航空航天", "电子及通讯设备业"]


def test_a_rate_from_a_year_is_a_level_not_a_share():
    rows = metrics("全社会研发经费投入强度从2020年的2.73%提升至3.35%。")
    assert facts(rows) == [
        ("全社会研发经费投入强度", 2.73, "%", "level"),
        ("全社会研发经费投入强度", 3.35, "%", "level"),
    ]


def test_a_trend_clause_names_the_figure_after_it():
    assert one("五年来，高新技术企业数量翻番，超过8500家。")["metric"] == "高新技术企业"


def test_a_zone_before_a_figure_is_its_subject_not_its_indicator():
    rows = metrics("营业收入13977.46亿元：国家高新区7831.36亿元，省级高新区6146.10亿元。")
    assert [r["metric"] for r in rows] == ["营业收入"] * 3
    rows = metrics("新增研发机构32个：国家高新区新增10个，省级高新区新增22个。")
    assert [r["metric"] for r in rows] == ["研发机构"] * 3
    # a zone that is counted is the indicator
    assert one("其中国家高新区8家。")["metric"] == "国家高新区"
    assert one("国家高新区共有178家。")["metric"] == "国家高新区"


def test_a_change_of_a_count_against_a_base():
    rows = metrics("税收500万元以上企业6家，较上年增长3家。")
    assert [(r["metric"], r["value"]) for r in rows] == [
        ("税收500万元以上企业", 6),
        ("税收500万元以上企业", 3),
    ]
    rows = metrics("在建项目数为289个，比去年同期增加了72个。")
    assert rows[0]["metric"] == rows[1]["metric"] and rows[1]["value"] == 72


def test_a_list_item_that_names_only_another_level():
    rows = metrics("新增省级两化融合示范企业4家、市级19家。")
    assert [r["metric"] for r in rows] == ["省级两化融合示范企业", "市级两化融合示范企业"]


def test_shares_of_two_wholes_and_a_share_named_by_its_whole():
    rows = metrics("经济总量分别占到全省的10.2%和全市的28.3%。")
    assert facts(rows) == [("经济总量", 10.2, "%", "share"), ("经济总量", 28.3, "%", "share")]
    rows = metrics("高新技术产业完成投资357.1亿元，在工业投资中的占比为42.2%。")
    assert facts(rows)[1] == ("高新技术产业投资", 42.2, "%", "share")
    rows = metrics("外贸进出口总额4088.9亿元，占全省、全市比重61.1%、69.8%。")
    assert [r["metric"] for r in rows] == ["外贸进出口总额"] * 3


def test_a_rate_after_an_amount_in_a_unit_we_do_not_keep():
    r = one("规上工业用电量6.42亿度，同比增长39.2%。")
    assert (r["metric"], r["value"], r["kind"]) == ("规上工业用电量", 39.2, "growth")


def test_a_plans_year_and_a_list_of_goals_govern_their_sentence():
    body = "到2027年，全区高新技术企业和科技型企业在2022年的基础上实现“双倍增”，分别超过90家和870家；全区专精特新“小巨人”企业突破8家，高技术制造业增加值占规模以上工业增加值的比重超25%。"
    rows = metrics(body, date="2023-06-16")
    assert [(r["metric"], r["kind"]) for r in rows] == [
        ("高新技术企业", "target"),
        ("科技型企业", "target"),
        ("专精特新小巨人企业", "target"),
        ("高技术制造业增加值", "target"),
    ]
    body = "全年主要预期目标是：一般预算收入占全市32.46%，实际利用外资1亿美元，有效发明专利数280件。"
    assert {r["kind"] for r in metrics(body, date="2024-02-01")} == {"target"}
    # a plan's year already past, or a goal reported as reached, makes no target
    assert one("到2020年，全区高新技术企业达到500家。", date="2021-03-01")["kind"] == "level"


def test_qualified_heads_keep_their_qualifier():
    assert metrics("169家国家高新区中属于高技术产业的企业达90129家。")[1]["metric"] == "高技术产业企业"
    assert metrics("已有近5万家创业企业毕业，毕业后上市的企业超过180家。")[-1]["metric"] == "上市企业"
    rows = metrics("拥有年销售收入过10亿的企业17家、过50亿的企业5家。")
    assert [r["metric"] for r in rows] == ["企业", "企业"]
    assert one("目前，湘江新区高新技术产业中产值亿元以下企业有388家。")["metric"] == "产值亿元以下企业"
    assert metrics("其中，53家入榜的国家级高新区。")[0]["metric"] == "国家级高新区"


def test_new_money_is_not_the_total_beside_it():
    rows = metrics("全市实现产值2072.8亿元，同比增长18.6%；新增产值282.8亿元。")
    assert [r["metric"] for r in rows] == ["产值", "产值", "新增产值"]


def test_a_counted_noun_is_not_cut_inside_a_word():
    assert one("我市200个工业经济新增长点项目发展良好。")["metric"] == "工业经济新增长点项目"


def test_text_without_sentence_ends_is_read_in_bounded_windows():
    """A flattened table or a page of numbers: every figure is read, each with a sentence of bounded
    length around it (what keeps the cost of a page linear in its length)."""
    from extractors.figures import MAX_SENTENCE

    body = "".join(f"园区高新技术企业增长{n}家，营业收入达到{n}亿元，" for n in range(1000, 1400))
    rows = metrics(body)
    counts = {r["value"] for r in rows if r["unit"] == "家"}
    assert counts == set(range(1000, 1400))
    assert all(len(r["sentence"]) <= MAX_SENTENCE and r["text"] in r["sentence"] for r in rows)
