import re

import pytest
from conftest import FIXTURES, SEEDS

from extractors.document import read_document
from extractors.metrics import extract_metrics
from extractors.normalise import normalise
from extractors.normalise.mojibake import close_spaced_headings, repair_mojibake

# What a damaged run leaves behind: a `?` inside Chinese, a pinyin stump, an entity name without `&`.
LEFT_OVER = re.compile(
    r"\?[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+[)）]|(?<![&A-Za-z])(?:[lr]dquo|[lr]squo|nbsp|mdash|hellip)[;；]"
    r"|(?<=[^\x00-\x7f])\?|\?(?=[^\x00-\x7f])"
)
GOOD = "2022年，怀化高新区规模以上工业企业实现营业收入428.7亿元，同比增长11.3%。"


def test_shifted_bytes_are_read_back_in_step():
    # `實現` lost the first byte of `實`: the rest reads `崿F` until the `F` puts it back in step.
    body, flags = normalise("新材料领域?qū)崿F(xiàn)营业收入128亿元。")
    assert body == "新材料领域实现营业收入128亿元。"
    assert "mojibake_repaired" in flags


def test_a_run_out_of_step_between_pinyin_runs_is_repaired():
    # No `?` left here: the letter before a pinyin run gives the run away (a reading follows a character).
    body, flags = normalise("长沙高新區(qū)崿F(xiàn)營業收入128億元。")
    assert body == "长沙高新区实现营业收入128亿元。"
    assert {"mojibake_repaired", "pinyin_removed"} <= set(flags)
    readable = "中國(guó)X(x)光機與區(qū)實(shí)現(xiàn)"
    assert repair_mojibake(readable) == (readable, 0, 0)


def test_a_repaired_run_no_longer_reaches_metric_names():
    page = "长沙高新区2022年新材料領域?qū)崿F(xiàn)營業收入128億元，同比增長12%。".encode()
    doc = read_document(page, "t")
    assert doc.body == "长沙高新区2022年新材料领域实现营业收入128亿元，同比增长12%。"
    names = {m["metric"] for m in extract_metrics(doc)}
    assert names and not any("崿" in n or "F" in n for n in names)


def test_a_shifted_run_after_a_lone_question_mark_is_repaired():
    text = "論壇在衡陽高新區(qū)舉行?;顒佑墒】萍紡d指導(dǎo)、湖南省科學(xué)技術(shù)信息研究所主辦。"
    body, flags = normalise(text)
    assert body == "论坛在衡阳高新区举行活动由省科技厅指导、湖南省科学技术信息研究所主办。"
    assert "mojibake_repaired" in flags


def test_pinyin_stump_is_cut_and_the_text_around_stays():
    body, flags = normalise("“蛟龙?zhí)号”载人潜水器完成深潜试验。" + GOOD)
    assert body == "“蛟龙号”载人潜水器完成深潜试验。" + GOOD
    assert "mojibake_cut" in flags


@pytest.mark.parametrize(
    ("damaged", "clean"),
    [
        ("专精特新ldquo;小巨人rdquo;企业", "专精特新“小巨人”企业"),
        ("专精特新lsquo;小巨人rsquo;企业", "专精特新‘小巨人’企业"),
        ("2021年mdash;2025年", "2021年—2025年"),
        ("高新区nbsp;nbsp;管委会", "高新区  管委会"),
        ("专精特新ldquo；小巨人rdquo；企业", "专精特新“小巨人”企业"),
    ],
)
def test_entity_names_without_their_ampersand_become_the_character(damaged, clean):
    text, repaired, cut = repair_mojibake(damaged)
    assert text == clean
    assert repaired > 0 and cut == 0


def test_real_entities_and_words_are_left_alone():
    text = "AT&amp;T 与 rdquo 公司;the squad; nbsp2 项"
    assert repair_mojibake(text) == (text, 0, 0)


def test_lone_question_mark_is_cut_but_a_real_question_stays():
    assert repair_mojibake("?日,工业和信息化部公布名单。")[0] == "日,工业和信息化部公布名单。"
    assert repair_mojibake("全区共有?家企业入选。")[0] == "全区共有家企业入选。"
    for question in (
        "高新区下一步怎么办?我们认为",
        "这是为什么?",
        "你好吗?是的",
        "增长了多少?答案是",
        "将来迎乎?岂可许耶",
        "曰:「是何事矣?」",
    ):
        assert repair_mojibake(question) == (question, 0, 0)


def test_a_run_whose_bytes_are_lost_is_cut_cleanly():
    # Already converted to simplified, the run cannot be read back: it goes, the text around stays.
    text, repaired, cut = repair_mojibake("论坛在衡阳高新区举行?颙佑墒】萍纺d指导、湖南省主办。")
    assert text == "论坛在衡阳高新区举行指导、湖南省主办。"
    assert (repaired, cut) == (0, 1)


def test_a_damaged_second_copy_is_repaired_then_dropped_as_a_copy():
    good = "近日,工业和信息化部公布第四批专精特新“小巨人”企业名单,怀化高新区3家企业入选,园区国家级专精特新“小巨人”企业累计达到8家。"
    damaged = "?日,工业和信息化部公布第四批专精特新ldquo;小巨人rdquo;企业名单,怀化高新区3家企业入选,园区国家级专精特新ldquo;小巨人rdquo;企业累计达到8家。"
    body, flags = normalise(f"{good}\n{GOOD}\n{damaged}")
    assert body.splitlines() == [good.replace(",", "，"), GOOD]
    assert {"mojibake_repaired", "mojibake_cut", "duplicate_removed", "mojibake_copy_dropped"} <= set(flags)


@pytest.mark.parametrize(
    "byline", ["作者:王明nbsp;nbsp;2023年5月1日", "来源:怀化高新区nbsp;发布时间:2023-05-01"]
)
def test_a_clean_copy_dropped_on_a_page_with_a_repair_elsewhere_is_no_damaged_copy(byline):
    # The repair mends the byline; the paragraph dropped as a copy was never damaged.
    para = "近日，工业和信息化部公布第四批专精特新“小巨人”企业名单，怀化高新区3家企业入选，园区国家级专精特新“小巨人”企业累计达到8家。"
    body, flags = normalise(f"{byline}\n{para}\n{GOOD}\n{para}")
    assert body.count(para) == 1 and GOOD in body and "nbsp" not in body
    assert {"mojibake_repaired", "duplicate_removed"} <= set(flags)
    assert "mojibake_copy_dropped" not in flags


def test_a_copy_whose_damage_the_repair_mended_is_still_a_damaged_copy():
    # Read out of step between pinyin runs: no `?` or entity left to see once repaired.
    good = "长沙高新区实现营业收入128亿元，同比增长12%，规模以上工业企业达到356家，高新技术企业突破1000家，园区综合排名继续位居全国前列。"
    damaged = "長沙高新區(qū)崿F(xiàn)營業收入128億元，同比增長12%，規模以上工業企業達到356家，高新技術企業突破1000家，園區綜合排名繼續位居全國前列。"
    body, flags = normalise(f"{good}\n{GOOD}\n{damaged}")
    assert body.splitlines() == [good, GOOD]
    assert {"mojibake_repaired", "duplicate_removed", "mojibake_copy_dropped"} <= set(flags)


def test_spaced_out_headings_are_closed_up_and_prose_is_not():
    lines = ["火 炬 统 计", "一 、 概 况", "高新 区 发展", "我 们 今 天 去 了 园 区 ，看 了 企 业", "火 炬"]
    out, n = close_spaced_headings(lines)
    assert out == ["火炬统计", "一 、 概 况", "高新 区 发展", lines[3], "火炬"]
    assert n == 2
    body, flags = normalise("火 炬 统 计\n" + GOOD)
    assert body.splitlines()[0] == "火炬统计" and "headings_closed" in flags


def test_clean_text_is_untouched():
    text = "高新区实现营业收入100亿元，同比增长5%。是否达到目标?达到了。" + GOOD
    assert repair_mojibake(text) == (text, 0, 0)


def _bodies():
    pages = sorted(SEEDS.glob("*.txt")) + sorted((FIXTURES / "pages").iterdir())
    pages += sorted((FIXTURES / "sites").rglob("*.html")) + sorted((FIXTURES / "sites").rglob("*.shtml"))
    pages += sorted((FIXTURES / "text").iterdir())
    for path in pages:
        data = path.read_bytes()
        if data.strip():
            yield path.name, read_document(data, path.stem).body


def test_no_damaged_run_is_left_in_the_seeds_and_fixtures():
    seen = 0
    for name, body in _bodies():
        seen += 1
        assert not LEFT_OVER.search(body), (name, LEFT_OVER.search(body))
    assert seen >= 20
