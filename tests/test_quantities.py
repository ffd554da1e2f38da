"""find_quantities: the numbers a reader sees in Chinese text, with value, unit and exact offsets."""

from __future__ import annotations

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
