"""find_quantities: the numbers a reader sees in Chinese text, with value, unit and exact offsets."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from extractors.quantities import find_figures, find_quantities, parse_chinese_number


def only(text: str):
    qs = find_quantities(text)
    assert len(qs) == 1, [(q.text, q.value) for q in qs]
    q = qs[0]
    assert text[q.start : q.end] == q.text
    return q


@pytest.mark.parametrize(
    "text, value",
    [
        ("一千二百三十四万", 12340000),
        ("两百", 200),
        ("十万", 100000),
        ("十一", 11),
        ("一百零一", 101),
        ("一千零一十一", 1011),
        ("一万零一百一十一", 10111),
        ("一千零一万零一", 10010001),
        ("十亿零一万零一", 1000010001),
        ("一千零一亿一千零一万一千零一", 100110011001),
        ("一千亿一千万一千零一", 100010001001),
        ("壹仟壹佰壹拾壹亿壹仟壹佰壹拾壹万壹仟壹佰壹拾壹", 111111111111),
        ("拾万零壹", 100001),
        ("廿二", 22),
        ("卅", 30),
        ("零", 0),
        ("〇", 0),
        ("二〇二一", 2021),
        ("一七二零点一三四", 1720.134),
        ("零点零零一", 0.001),
        ("三十点五", 30.5),
        ("一万五", 15000),
        ("三百五", 350),
        ("一万两千", 12000),
        ("一亿零五百万", 105000000),
        ("负五", -5),
    ],
)
def test_chinese_numerals(text, value):
    q = only(text)
    assert q.value == pytest.approx(value)
    assert q.unit == ""
    assert (q.start, q.end) == (0, len(text))
    assert q.chinese


@pytest.mark.parametrize(
    "text, value",
    [("1.2万亿", 1.2e12), ("3,595.8", 3595.8), ("16.8 亿", 1.68e9), ("3千", 3000), ("2.5亿", 2.5e8)],
)
def test_arabic_numbers_with_multipliers(text, value):
    q = only(text)
    assert q.value == pytest.approx(value)
    assert q.text == text


def test_money_folds_the_multiplier_and_keeps_the_unit():
    q = only("技术合同交易额376.96亿元")
    assert q.value == pytest.approx(37696000000)
    assert q.unit == "元"
    assert q.text == "376.96亿元"
    assert q.scale == 1e8
    assert only("实际利用外资3.2亿美元").unit == "美元"


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("高新技术企业4399家", 4399, "家"),
        ("研发平台1422个", 1422, "个"),
        ("规划面积564.7平方公里", 564.7, "平方公里"),
        ("入库 318 家", 318, "家"),
        ("领军人才2名", 2, "名"),
        ("用户增长最快的三个城市", 3, "个"),
        ("提高2个百分点", 2, "个百分点"),
        ("上升3个位次", 3, "位"),
    ],
)
def test_units_follow_the_number(text, value, unit):
    q = only(text)
    assert (q.value, q.unit) == (value, unit)


@pytest.mark.parametrize(
    "text, value",
    [
        ("同比增长49.85%", 49.85),
        ("下降了-3.8%", -3.8),
        ("百分之八", 8),
        ("百分之三十点五", 30.5),
        ("百分之负三点八", -3.8),
        ("负百分之五", -5),
        ("早盘低开百分之一点五七", 1.57),
        ("九成", 90),
        ("不足3成", 30),
        ("八折", 80),
        ("八五折", 85),
        ("5‰", 0.5),
        ("增长１２％", 12),
    ],
)
def test_percentages(text, value):
    q = only(text)
    assert q.unit == "%"
    assert q.value == pytest.approx(value)


@pytest.mark.parametrize(
    "text, value",
    [("1/2", 0.5), ("五分之一", 0.2), ("三分之二", 2 / 3), ("千分之六", 0.006), ("全市1/2的", 0.5)],
)
def test_fractions_are_ratios(text, value):
    q = only(text)
    assert q.fraction
    assert q.value == pytest.approx(value)
    assert q.unit == ""


@pytest.mark.parametrize(
    "text, value, high, unit",
    [
        ("3-5家", 3, 5, "家"),
        ("3至5", 3, 5, ""),
        ("三到五个", 3, 5, "个"),
        ("10%~20%", 10, 20, "%"),
        ("三四家", 3, 4, "家"),
    ],
)
def test_ranges(text, value, high, unit):
    q = only(text)
    assert (q.value, q.high, q.unit) == (value, high, unit)
    assert q.text == text


@pytest.mark.parametrize(
    "text, span, approx, bound",
    [
        ("近200家企业", "近200家", True, None),
        ("约100亿元", "约100亿元", True, None),
        ("集聚企业400余家", "400余家", True, None),
        ("企业100多家", "100多家", True, None),
        ("二十来个", "二十来个", True, None),
        ("60家以上", "60家以上", False, "min"),
        ("超过50%", "超过50%", False, "min"),
        ("不少于60家", "不少于60家", False, "min"),
        ("10%以下", "10%以下", False, "max"),
        ("不足1000人", "不足1000人", False, "max"),
    ],
)
def test_approximations_are_part_of_the_span(text, span, approx, bound):
    q = only(text)
    assert q.text == span
    assert text[q.start : q.end] == span
    assert (q.approx, q.bound) == (approx, bound)


def test_offsets_are_exact_in_a_sentence():
    text = "技术合同交易额376.96亿元,同比增长49.85%"
    a, b = find_quantities(text)
    assert (a.start, a.end, text[a.start : a.end]) == (7, 15, "376.96亿元")
    assert (b.start, b.end, text[b.start : b.end]) == (20, 26, "49.85%")


def test_ordinals_are_marked():
    q = only("排名上升至第13位")
    assert q.ordinal and q.value == 13 and q.unit == "位" and q.text == "第13位"


@pytest.mark.parametrize("text", ["大陆", "一是要强化", "进一步", "统一", "唯一", "百姓", "万一"])
def test_words_that_contain_numeral_characters_are_not_numbers(text):
    assert find_quantities(text) == []


def test_chengyu_and_words_with_cheng_are_not_percentages():
    assert all(q.unit != "%" for q in find_quantities("三成员单位"))
    assert all(q.unit != "%" for q in find_quantities("五折合人民币"))


def test_codes_with_leading_zero_are_not_amounts():
    assert [q.value for q in find_quantities("区号0731")] == []


@pytest.mark.parametrize(
    "text", ["", "没有数字的文本", "1" * 5000 + "家", "一" * 3000, "9" * 400 + "%", "。" * 10000]
)
def test_bad_input_gives_nothing_or_a_sane_value(text):
    for q in find_quantities(text) + find_figures(text):
        assert q.value == q.value and abs(q.value) < 1e30  # finite, not NaN


def test_find_figures_skips_bare_numbers_and_unwanted_units():
    text = "一是企业4399家,2021年增长12%,编号12,十亿"
    figures = [(q.text, q.unit) for q in find_figures(text, units={"家"})]
    assert figures == [("4399家", "家"), ("12%", "%"), ("十亿", "")]


def test_parse_chinese_number_rejects_malformed_numerals():
    assert parse_chinese_number("十十") is None
    assert parse_chinese_number("三十四") == 34


# Every example of issue 3, part 1, with its value, unit and span.
@pytest.mark.parametrize(
    "text, span, value, unit",
    [
        ("一千二百三十四万", "一千二百三十四万", 12340000, ""),
        ("两百", "两百", 200, ""),
        ("十万", "十万", 100000, ""),
        ("1.2万亿", "1.2万亿", 1.2e12, ""),
        ("3,595.8", "3,595.8", 3595.8, ""),
        ("1/2", "1/2", 0.5, ""),
        ("五分之一", "五分之一", 0.2, ""),
        ("千分之六", "千分之六", 0.006, ""),
        ("百分之三十", "百分之三十", 30, "%"),
        ("九成", "九成", 90, "%"),
        ("打八折", "八折", 80, "%"),
        ("376.96亿元", "376.96亿元", 3.7696e10, "元"),
        ("3-5家", "3-5家", 3, "家"),
        ("近200家", "近200家", 200, "家"),
        ("约100亿元", "约100亿元", 1e10, "元"),
        ("400余家", "400余家", 400, "家"),
        ("100多家", "100多家", 100, "家"),
        ("60家以上", "60家以上", 60, "家"),
    ],
)
def test_issue_examples(text, span, value, unit):
    q = only(text)
    assert (q.text, q.unit) == (span, unit)
    assert q.value == pytest.approx(value)
    assert text[q.start : q.end] == span


@pytest.mark.parametrize(
    "text, value",
    [
        ("四万万", 4e8),  # 万万 is 亿
        ("10万万", 1e9),
        ("三千万亿", 3e15),  # a big unit after a bigger one scales all before it
        ("五兆六十二亿四万五千二", 5006200045200),
        ("一千零十", 1010),  # 零 then a bare 十
        ("十万零十", 100010),
        ("一百一", 110),  # a trailing digit counts in the unit below the last
        ("两千三点一", 2300.1),
        ("兩千六", 2600),  # traditional characters
        ("負三十二", -32),
        ("肆佰陸拾", 460),
        ("一百 五 十 二", 152),  # spaced numerals
        ("５，２３６", 5236),  # full-width digits and thousands comma
        ("-10.1万", -101000),
        ("40k", 40000),
        ("2e5", 200000),
        ("-12e-1", -1.2),
        (".5", 0.5),
        ("5万4千6百", 54600),  # one number written in several parts
        ("1亿2300万", 123000000),
        ("3万5000", 35000),
        ("两个亿", 2e8),
    ],
)
def test_more_numerals(text, value):
    q = only(text)
    assert q.value == pytest.approx(value)
    assert (q.start, q.end) == (0, len(text))


@pytest.mark.parametrize(
    "text, span, value, unit",
    [
        ("十余万人", "十余万人", 100000, "人"),  # 余/多/几 before the multiplier
        ("300多亿元", "300多亿元", 3e10, "元"),
        ("500余万", "500余万", 5e6, ""),
        ("二十几万", "二十几万", 2e5, ""),
        ("十几家", "十几家", 10, "家"),
        ("10几万元", "10几万元", 1e5, "元"),
        ("数十家", "十家", 10, "家"),
    ],
)
def test_approximate_multipliers(text, span, value, unit):
    q = only(text)
    assert (q.text, q.unit, q.approx) == (span, unit, True)
    assert q.value == pytest.approx(value)


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("百分之百", 100, "%"),
        ("百分百", 100, "%"),
        ("百分三十", 30, "%"),
        ("百分之15k", 15000, "%"),
        ("-百分之1", -1, "%"),
        ("负的百分之二十", -20, "%"),
        ("百分之一 点五", 1.5, "%"),
        ("－1２２％", -122, "%"),
        ("七成六", 76, "%"),
        ("三成半", 35, "%"),
        ("9.5成", 95, "%"),
        ("十成", 100, "%"),
        ("陆 点 五 折", 65, "%"),
        ("9.9折", 99, "%"),
        ("一 百 五 十 个 百 分 点", 150, "个百分点"),
        ("六個百分點", 6, "个百分点"),
        ("坡降小于2‰", 0.2, "%"),
    ],
)
def test_more_percentages(text, value, unit):
    q = only(text)
    assert (q.value, q.unit) == (pytest.approx(value), unit)


def test_ten_zhe_is_not_a_discount():
    assert all(q.unit != "%" for q in find_quantities("十折"))


@pytest.mark.parametrize(
    "text, value",
    [
        ("三又五分之一", 3.2),
        ("一百万又五十万分之二十五", 1000000.00005),
        ("1又1/5", 1.2),
        ("-3/2", -1.5),
        ("负1/3", -1 / 3),
        ("-100分之57", -0.57),
        ("负３分之负一百五十七", 157 / 3),
        ("五 分之 一", 0.2),
        ("３／５", 0.6),
        ("万分之三", 0.0003),
        ("总量的五分之一以上", 0.2),
    ],
)
def test_more_fractions(text, value):
    q = only(text)
    assert q.fraction and q.unit == ""
    assert q.value == pytest.approx(value)


@pytest.mark.parametrize(
    "text, value, high, unit",
    [
        ("三四十家", 30, 40, "家"),  # two neighbouring digits: thirty or forty
        ("十七八万", 170000, 180000, ""),
        ("七百三四十", 730, 740, ""),
        ("两三个", 2, 3, "个"),
        ("一两家", 1, 2, "家"),
        ("三五百块", 300, 500, "块"),
        ("百分之二三十", 20, 30, "%"),
        ("两到三万元", 20000, 30000, "元"),  # the low end takes the multiplier of the high end
        ("十八至三十万", 180000, 300000, ""),
        ("一千到两千万元", 1e7, 2e7, "元"),
        ("从8500到3万元", 8500, 30000, "元"),
        ("1万-5万元", 10000, 50000, "元"),  # not minus five
        ("1万元--5万元", 10000, 50000, "元"),
        ("20－30平方公里", 20, 30, "平方公里"),
        ("10~15k元", 10000, 15000, "元"),
        ("$100-500", 100, 500, "美元"),
    ],
)
def test_more_ranges(text, value, high, unit):
    q = [q for q in find_quantities(text) if q.high is not None]
    assert len(q) == 1, find_quantities(text)
    assert (q[0].value, q[0].high, q[0].unit) == (pytest.approx(value), pytest.approx(high), unit)


def test_the_plan_names_are_not_ranges():
    assert find_quantities("“十四五”时期") == []
    assert find_quantities("十三五规划") == []


@pytest.mark.parametrize(
    "text, spans",
    [
        ("这是八百一千", [("八百", 800), ("一千", 1000)]),  # two numerals written together
        ("这是二十九千", [("二十", 20), ("九千", 9000)]),
        ("这是十二一千", [("十二", 12), ("一千", 1000)]),
        ("重达二十五千克", [("二十五千克", 25)]),
        ("十千米每小时", [("十千米", 10)]),
        ("两三万一平米", [("两三万", 20000), ("一平米", 1)]),
        ("共四百六十五篇,约三百一十五万字", [("四百六十五篇", 465), ("约三百一十五万", 3150000)]),
    ],
)
def test_numerals_written_together_are_split(text, spans):
    assert [(q.text, q.value) for q in find_quantities(text)] == spans


@pytest.mark.parametrize(
    "text, span, value, unit",
    [
        ("三千三百八十元五角八分", "三千三百八十元五角八分", 3380.58, "元"),
        ("壹拾壹元壹角壹分", "壹拾壹元壹角壹分", 11.11, "元"),
        ("十二块五", "十二块五", 12.5, "块"),
        ("伍仟圆整", "伍仟圆", 5000, "元"),
        ("价格是￥13.5", "￥13.5", 13.5, "元"),
        ("$1.5万", "$1.5万", 15000, "美元"),
        ("零下四摄氏度", "零下四摄氏度", -4, "摄氏度"),
        ("装机5400GW", "5400GW", 5400, "GW"),
    ],
)
def test_money_and_measures(text, span, value, unit):
    q = only(text)
    assert (q.text, q.unit) == (span, unit)
    assert q.value == pytest.approx(value)


@pytest.mark.parametrize(
    "text",
    [
        "四川",
        "我一看你就笑",
        "两岸关系",
        "三农",
        "十分重要",
        "零部件",
        "零售",
        "一成不变",
        "一带一路",
        "万众一心",
        "一季度",
        "第一时间",
        "对折",
        "万万",
        "一切",
    ],
)
def test_more_words_that_are_not_numbers(text):
    assert find_quantities(text) == []


def test_numbers_in_links_are_not_quantities():
    text = "详见 https://www.test.com/search?q=30%25%2020% 与 www.example.cn/2022/5.html,增长12%"
    assert [q.text for q in find_quantities(text)] == ["12%"]


def test_codes_and_phone_numbers_written_in_chinese():
    assert [q.text for q in find_quantities("电话零零三，数量十二个")] == ["十二个"]


def test_dates_keep_their_units():
    text = "2022年12月22日,二〇二一年五月,1-6月"
    assert [(q.text, q.unit) for q in find_quantities(text)] == [
        ("2022年", "年"),
        ("12月", "月"),
        ("22日", "日"),
        ("二〇二一年", "年"),
        ("五月", "月"),
        ("1-6月", "月"),
    ]


def test_offsets_survive_full_width_and_traditional_text():
    text = "營收達兩千萬元，增長１２．５％，佔三個百分點"
    qs = find_quantities(text)
    assert [(q.value, q.unit) for q in qs] == [(2e7, "元"), (12.5, "%"), (3, "个百分点")]
    assert all(text[q.start : q.end] == q.text for q in qs)


def test_find_figures_keeps_the_low_end_of_a_range():
    figures = find_figures("规划建设20－30平方公里,编号12", units={"平方公里"})
    assert [(q.text, q.value, q.high) for q in figures] == [("20－30平方公里", 20, 30)]


# A sample of public Chinese number-recognition test cases, with the values they expect (our
# expectations: a float value, percent as the number of percent, 个百分点 as its own unit).
# Sources: microsoft/Recognizers-Text Specs/Number/Chinese (MIT), Ailln/cn2an tests (MIT),
# wenet-e2e/WeTextProcessing itn/chinese/test/data (Apache-2.0), NVIDIA/NeMo-text-processing
# tests/nemo_text_processing/zh (Apache-2.0), dongrixinyu/JioNLP test/test_money_*.py (Apache-2.0).
@pytest.mark.parametrize(
    "text, expected",
    [
        ("十 余 万", [(100000, "")]),
        ("7 万5 千4 百", [(75400, "")]),
        ("４，５６５", [(4565, "")]),
        ("倆千两百贰拾二", [(2222, "")]),
        ("五亿零六", [(500000006, "")]),
        ("一万二百五十", [(10250, "")]),
        ("九十二万四", [(924000, "")]),
        ("负四百零五亿零四百零四万", [(-40504040000, "")]),
        ("二百五, 二百五, 还有二百五。", [(250, ""), (250, ""), (250, "")]),
        ("三千 八百 九十六 万 四千 九百 六十五", [(38964965, "")]),
        ("一千五百零几万", [(15000000, "")]),
        ("１１.92亿", [(1.192e9, "")]),
        ("两千万点五五四四", [(20000000.5544, "")]),
        ("二百三十三，五百七十七，一千六点五。", [(233, ""), (577, ""), (1600.5, "")]),
        ("三 百 五 又 三 分之 一", [(350 + 1 / 3, "")]),
        ("１６分之2225", [(139.0625, "")]),
        ("２.５成", [(25, "%")]),
        ("九折,五五折,八点五折", [(90, "%"), (55, "%"), (85, "%")]),
        ("百分之１，１２３", [(1123, "%")]),
        ("拾万零五十六点叁叁个百分点", [(100056.33, "个百分点")]),
        ("百分之6酒精含量的啤酒和32.5%的白酒", [(6, "%"), (32.5, "%")]),
        ("小明有十个手指头", [(10, "个")]),
        ("陆地上有许多动物", []),
        ("一千一百一十一万一千一百一十一亿一千一百一十一万一千一百一十一", [(1111111111111111, "")]),
        ("一百二十万三", [(1203000, "")]),
        ("零点零零零零零零零零零零零零零零一", [(1e-15, "")]),
        ("第二天股价下降了百分之负三点八", [(2, "天"), (-3.8, "%")]),
        ("约2.5亿年~6500万年", [(2.5e8, "年"), (6.5e7, "年")]),
        ("二〇〇二年的第一场雪", [(2002, "年"), (1, "场")]),
        ("明天有百分之六十二的概率降雨", [(62, "%")]),
        ("一亿七万两千三百人", [(100072300, "人")]),
        ("一兆零三百二十万五千人", [(1000003205000, "人")]),
        ("同比升高零点六个百分点", [(0.6, "个百分点")]),
        ("十三五规划期间获得了十几万和几十万甚至二十几万的投资", [(100000, ""), (100000, ""), (200000, "")]),
        ("一億零一百一十一萬", [(101110000, "")]),
        ("負壹佰贰拾点叁肆", [(-120.34, "")]),
        ("五十又一百分之一", [(50.01, "")]),
        ("一点五万美元", [(15000, "美元")]),
        ("28394919.2312亿", [(2839491923120000, "")]),
        ("5块5毛5分", [(5.55, "块")]),
        ("233,333，333,434.344元", [(233333333434.344, "元")]),
        ("3千万亿日元", [(3e15, "日元")]),
        ("六十四万零一百四十三元一角七分", [(640143.17, "元")]),
        ("七千到九千亿元", [(7e11, "元")]),
        ("八九亿韩元", [(8e8, "韩元")]),
        ("到了次日的凌晨2许时就发现车被盗了，该车价值2000余元", [(2, ""), (2000, "元")]),
    ],
)
def test_public_suite_sample(text, expected):
    qs = find_quantities(text)
    assert [(pytest.approx(q.value, rel=1e-9), q.unit) for q in qs] == expected
    assert all(text[q.start : q.end] == q.text for q in qs)


def test_very_long_lines_and_numbers_are_linear():
    line = "高新技术企业4399家,同比增长20.32%,二〇二一年五月,一千二百三十四万元;" * 4000
    t0 = time.perf_counter()
    qs = find_quantities(line)
    elapsed = time.perf_counter() - t0
    assert len(qs) == 5 * 4000
    assert elapsed < 5
    for text in ["1" * 5000, "十" * 5000, "一" * 5000, "5万4千" * 2000, "1,000" * 2000, "兆" * 5000]:
        t0 = time.perf_counter()
        qs = find_quantities(text) + find_figures(text)
        assert time.perf_counter() - t0 < 2, text[:10]
        assert all(abs(q.value) < 1e30 and text[q.start : q.end] == q.text for q in qs)


@pytest.mark.parametrize(
    "text", ["", "没有数字的文本", " \t\n", "abc", "……", "第", "百分之", "分之一", "负", "-", "."]
)
def test_text_with_no_numbers_gives_nothing(text):
    assert find_quantities(text) == [] and find_figures(text) == []


@pytest.mark.parametrize(
    "text, value",
    [
        ("1千零1", 1001),
        ("1千零20", 1020),
        ("2千零30万", 20_300_000),
        ("1千零1百", 1100),
        ("两千零30", 2030),
        ("100万三千", 1_003_000),
        ("200亿零四千230", 20_000_004_230),
        ("千三", 1300),
        ("百三", 130),
        ("零十", 10),
        ("半百", 50),
        ("一打", 12),
        ("五十打", 600),
        ("10^8", 1e8),
        ("2^-1", 0.5),
    ],
)
def test_colloquial_numerals_read_as_one_number(text, value):
    qs = find_quantities(text)
    assert [(q.text, pytest.approx(q.value)) for q in qs] == [(text, value)]


def test_colloquial_numerals_keep_their_unit_in_prose():
    text = "营收1千零20万元,园区现有企业2千零30家,年过半百,买了一打鸡蛋"
    assert [(q.text, q.value, q.unit) for q in find_quantities(text)] == [
        ("1千零20万元", 10_200_000, "元"),
        ("2千零30家", 2030, "家"),
        ("半百", 50, ""),
        ("一打", 12, ""),
    ]
    assert [q.text for q in find_figures("营收2千零30万元", units={"元"})] == ["2千零30万元"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("一打开网页", [("一", 1)]),  # 打开 is a verb
        ("三打白骨精", [("三", 3)]),
        ("百三十", [("三十", 30)]),  # only one digit after a bare 百
        ("千万不要", []),
        ("2021年零3个月", [("2021年", 2021), ("零", 0), ("3个月", 3)]),  # 年 ends the first number
        ("半百分点", []),
    ],
)
def test_look_alikes_of_colloquial_numerals(text, expected):
    assert [(q.text, q.value) for q in find_quantities(text)] == expected


def test_public_whole_input_suite_reads_at_least_95_percent():
    # tests/fixtures/numerals: Recognizers-Text and cn2an cases (see its README); bench/bench_numerals.py
    # lists the misses.
    cases = Path(__file__).parent / "fixtures" / "numerals" / "cases.tsv"
    right = total = 0
    for line in cases.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, value, _ = line.split("\t")
        text = text.strip()
        qs = find_quantities(text)
        total += 1
        right += (
            len(qs) == 1
            and (qs[0].start, qs[0].end) == (0, len(text))
            and qs[0].value == pytest.approx(float(value), rel=1e-6, abs=1e-12)
        )
    assert total >= 300
    assert right / total >= 0.95, f"{right}/{total}"
