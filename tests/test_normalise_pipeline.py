import re

from conftest import seed

from extractors.normalise import normalise, normalise_line

NUMBERS = re.compile(r"\d[\d,.]*%?")


def test_flags_name_what_each_stage_did():
    _, flags = normalise(seed("000").read_text(encoding="utf-8"))
    assert set(flags) >= {
        "pinyin_removed",
        "traditional_converted",
        "spam_removed",
        "boilerplate_removed",
        "duplicate_removed",
        "mojibake_copy_dropped",
    }
    _, flags = normalise(seed("002").read_text(encoding="utf-8"))
    assert "lines_joined" in flags


def test_a_clean_article_keeps_its_text_and_numbers():
    text = (
        "2021年,全省高新区建成省级及以上研发平台1422个,占全省园区研发平台总量的68.10%;"
        "技术合同交易额376.96亿元,同比增长49.85%。\n"
        "高新区实现进出口总额1,281.67亿元,同比增长14.60%。\n"
        "二、下一步工作\n"
        "力争2025年高新技术企业达到500家以上。"
    )
    body, flags = normalise(text)
    assert flags == []
    assert body.count("\n") == 3
    assert NUMBERS.findall(body) == NUMBERS.findall(text)
    assert re.sub(r"[,，;；]", "", body) == re.sub(r"[,，;；]", "", text)


def test_titles_and_sources_are_normalised_on_one_line():
    assert normalise_line("高新區(qū)創(chuàng)新發(fā)展  績效評價") == "高新区创新发展 绩效评价"
    assert normalise_line("  ") is None
    assert normalise_line(None) is None
