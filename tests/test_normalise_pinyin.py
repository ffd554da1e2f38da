from extractors.normalise.pinyin import readings, remove_pinyin


def test_runs_that_read_the_character_before_them_are_removed():
    assert remove_pinyin("當(dāng)前位置:高新區(qū)新聞") == ("當前位置:高新區新聞", 2)


def test_any_heteronym_counts_as_a_reading():
    assert remove_pinyin("處(chù)處(chǔ)長")[0] == "處處長"
    assert {"chù", "chǔ"} <= readings("處")


def test_real_parentheses_stay():
    for text in [
        "創新型產業集群試點(培育)。",
        "市级以上创新平台(载体)达到446家",
        "《评价报告2022》(以下简称“《评价报告》”)成果发布会",
        "湖南省开发区协会(英文名称:HuNan Development Zones Association,缩写为HNDZA。)",
        "高新区(cbd)片区",
    ]:
        assert remove_pinyin(text) == (text, 0)


def test_a_syllable_that_is_not_a_reading_keeps_the_run():
    assert remove_pinyin("當(qū)前")[1] == 0


def test_several_syllables_match_the_characters_before_them():
    assert remove_pinyin("高新(gāo xīn)区") == ("高新区", 1)


def test_readings_are_pypinyin_s():
    from pypinyin import Style, pinyin

    for char in "當區處長行乐的们高新區發":
        assert readings(char) == frozenset(pinyin(char, style=Style.TONE, heteronym=True)[0]), char
