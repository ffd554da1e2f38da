from extractors.normalise.duplicates import damage, remove_duplicates

GOOD = "12月21日,成果发布会暨湖南省高新区高质量发展论坛在衡阳高新区举行。活动由省科技厅指导、湖南省科学技术信息研究所主办,衡阳国家高新区管理委员会和衡阳市科技局共同承办。"
BROKEN = GOOD.replace("举行。活动由省科技厅指导", "举行?颙佑墒】萍纺d指导")
OTHER = "2022年高新区绩效评价指标体系由创新能力和创业活跃度、结构优化和产业价值链、绿色发展和宜居包容性、开放创新和国际影响力等5项一级指标组成。"


def test_mojibake_marks_count_as_damage():
    assert damage(BROKEN) > damage(GOOD) == 0
    assert damage("蛟龙?zhí)号rdquo;") >= 2


def test_second_copy_is_dropped():
    lines, dropped, damaged = remove_duplicates([GOOD, OTHER, BROKEN, OTHER])
    assert lines == [GOOD, OTHER]
    assert (dropped, damaged) == (2, 1)


def test_a_copy_damaged_before_the_repair_counts_as_damaged():
    # Repaired, the copy reads like the good one: only what was noted before the repair tells.
    assert remove_duplicates([GOOD, OTHER, GOOD, OTHER])[1:] == (2, 0)
    lines, dropped, damaged = remove_duplicates(
        [GOOD, OTHER, GOOD, OTHER], damaged_before=[False, False, True, False]
    )
    assert lines == [GOOD, OTHER]
    assert (dropped, damaged) == (2, 1)
    # Damage on a kept line is no damaged copy.
    assert remove_duplicates([GOOD, OTHER, GOOD, OTHER], damaged_before=[True, True, False, False])[2] == 0


def test_damage_counts_the_marks_the_repair_knows():
    # Stage 1b's entity names, the full-width `；` too, and its lone `?`.
    for line in ("高新区ensp;管委会", "专精特新ldquo；小巨人rdquo；企业", "2021年ndash;2025年", "举行?活动"):
        assert damage(line) > 0, line
    assert damage("AT&amp;T 与 rdquo 公司;the squad; nbsp2 项") == 0


def test_the_better_copy_is_kept_in_the_place_of_the_first():
    lines, _, damaged = remove_duplicates([BROKEN, OTHER, GOOD, OTHER])
    assert lines == [GOOD, OTHER]
    assert damaged == 1


def test_abstract_repeating_wrapped_text_is_dropped_with_its_label():
    wrapped = [GOOD[i : i + 40] for i in range(0, len(GOOD), 40)]
    lines, dropped, _ = remove_duplicates(wrapped + ["摘要:", GOOD[:70] + "..."])
    assert lines == wrapped and dropped == 2


def test_a_block_with_a_sentence_of_its_own_is_kept():
    longer = GOOD + "会议还发布了年度创新发展报告,介绍了各地高新区的经验做法和下一步工作安排。"
    lines, dropped, _ = remove_duplicates([GOOD, longer])
    assert longer in lines and dropped == 1
    lines, dropped, _ = remove_duplicates([GOOD, OTHER])
    assert dropped == 0


def test_title_repeated_in_the_body_is_dropped():
    lines, dropped, _ = remove_duplicates(
        ["湖南省高新区高质量发展论坛举行", GOOD], title="湖南省高新区高质量发展论坛举行"
    )
    assert lines == [GOOD] and dropped == 1


LEAD_IN = "《评价报告》针对全省高新区如何对标“五好”园区创建目标,提出5方面工作建议:"
POINTS = (
    "一是要强化资源配置,提升高新区科技创新策源能力,加强关键核心技术攻关,加速创新人才引育,加快成果转化落地。"
)


def test_a_short_line_inside_a_dropped_copy_goes_with_it():
    # Too short to be judged by its shingles, the lead-in repeats a kept line between two copies.
    page = [GOOD, OTHER, LEAD_IN, POINTS, BROKEN, OTHER, LEAD_IN.replace("评价", "評價"), POINTS]
    lines, dropped, _ = remove_duplicates([ln.replace("評價", "评价") for ln in page])
    assert lines == [GOOD, OTHER, LEAD_IN, POINTS] and dropped == 4
    damaged = LEAD_IN.replace("对标", "对?标").replace("园区", "园?")
    lines, _, _ = remove_duplicates([GOOD, OTHER, LEAD_IN, POINTS, BROKEN, OTHER, damaged, POINTS])
    assert lines == [GOOD, OTHER, LEAD_IN, POINTS]


def test_short_lines_repeated_between_different_paragraphs_stay():
    note = "[该故事由本文作者翻译]"
    lines = [GOOD, note, OTHER, note, POINTS, note]
    assert remove_duplicates(lines)[0] == lines
