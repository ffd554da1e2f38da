from extractors.normalise.layout import (
    balance_quotes,
    fix_layout,
    join_wrapped,
    restore_quotes,
    unify_punctuation,
)

WRAPPED = [
    "为贯彻落实省、市关于洛阳副中心城市建设的指示精神,深入实施创新驱动发展战略,我",
    "们坚持以新发展理念为引领,大力实施创新主体、创新平台双倍增行动,着力打通四个",
    "通道,促进四链融合,推动高新区、自创区、自贸区三区融合发展,加快构建现代创新体",
    "系,全力打造中原城市群创新高地。",
    "一、20xx 年重点工作",
    "(一)完善政策法规,强化制度保障。",
    "认真研究国务院《关于促进国家高新技术产业开发区高质量发展的若干意见》,组织科技",
    "部专家为全区中层以上领导干部解读,同时做好文件精神的贯彻落实。积极参与起草并推",
    "动条例出台。",
]


def test_hard_wrapped_lines_are_joined_into_paragraphs():
    lines, joins = join_wrapped(WRAPPED)
    assert joins == 5
    assert lines[0].startswith("为贯彻落实") and lines[0].endswith("中原城市群创新高地。")
    assert "我们坚持" in lines[0] and "现代创新体系" in lines[0]
    assert lines[1:3] == ["一、20xx年重点工作", "(一)完善政策法规,强化制度保障。"]
    assert lines[3].endswith("推动条例出台。")


def test_paragraph_text_is_not_joined():
    paragraphs = [
        "第一段讲述了高新区的发展情况。",
        "第二段介绍下一步的工作安排和目标任务。",
        "短标题",
        "第三段。",
    ] * 3
    assert join_wrapped(paragraphs) == (paragraphs, 0)


def test_displaced_quote_marks_go_back_into_their_holes():
    assert restore_quotes("“ ”(二)提升区域创新浓度,释放出更多的 溢出效应 。") == (
        "(二)提升区域创新浓度,释放出更多的“溢出效应”。",
        True,
    )
    assert (
        restore_quotes("与新安等 8“ ”个产业集聚区采取 一区多园 模式合作")[0]
        == "与新安等 8 个产业集聚区采取“一区多园”模式合作"
    )


def test_quote_marks_that_do_not_pair_with_holes_are_dropped():
    line, changed = restore_quotes("“ ” 们坚持以新发展理念为引领,大力实施创新平台 双倍增 行动,着力打通 四")
    assert changed and "“" not in line and "”" not in line
    line, _ = restore_quotes("“ ”高质量发展的工作部狠抓 四个一建设,提升创新发展力,全方位推进 三区")
    assert "“" not in line


def test_punctuation_is_full_width_in_chinese_context_and_numbers_stay():
    line = "技术合同交易额376.96亿元,同比增长49.85%;进出口总额1,281.67亿元,占比68.10%(培育):见下"
    assert (
        unify_punctuation(line)
        == "技术合同交易额376.96亿元，同比增长49.85%；进出口总额1,281.67亿元，占比68.10%（培育）：见下"
    )
    assert (
        unify_punctuation("访问 http://example.com/a,b 时间10:30 (2021)")
        == "访问 http://example.com/a,b 时间10:30 (2021)"
    )


def test_fix_layout_reports_joins_and_quotes():
    lines, joins, quotes = fix_layout(WRAPPED)
    assert joins == 5 and quotes == 0 and len(lines) == 4


def test_quote_marks_without_a_partner_are_dropped():
    assert balance_quotes("推进国家科技力经20xx”重点项目") == "推进国家科技力经20xx重点项目"
    assert balance_quotes("推广综合评价+”“知识+”“信用+”模式") == "推广综合评价+“知识+”“信用+”模式"
    assert balance_quotes("他说“好”。") == "他说“好”。"
    assert balance_quotes("“未闭合的引号") == "未闭合的引号"
