from conftest import seed

from extractors.normalise.pinyin import remove_pinyin
from extractors.normalise.script import is_traditional_char, to_simplified


def test_traditional_text_is_converted_with_taiwan_phrases():
    text, n = to_simplified("帶著創新發展的績效評價報告,隨著產業結構優化,接著推動高質量發展。")
    assert n == 1
    assert text == "带着创新发展的绩效评价报告,随着产业结构优化,接着推动高质量发展。"


def test_simplified_text_is_left_alone():
    text = "乾隆年间的故事流传至今,此后高新区发展迅速,干部群众齐心协力推动产业升级。"
    assert to_simplified(text) == (text, 0)


def test_japanese_is_not_read_as_traditional():
    text = "中国の呉江浩駐日大使が集会に出席し、スピーチを行った。"
    assert to_simplified(text) == (text, 0)


def test_seed_000_has_no_traditional_character_left():
    raw = seed("000").read_text(encoding="utf-8")
    text, n = to_simplified(remove_pinyin(raw)[0])
    assert n > 10
    assert not set("區們發當創價績導學處據鄉進業帶") & set(text)
    # Only characters that simplified text also uses are left (`显著` keeps its 著).
    assert {c for c in text if is_traditional_char(c)} <= {"著"}
