from conftest import seed

from extractors.normalise.spam import is_spam_line, remove_spam


def test_seed_000_keyword_header_is_spam():
    first = seed("000").read_text(encoding="utf-8").splitlines()[0]
    assert is_spam_line(first)


def test_generic_gambling_keyword_soup_is_spam():
    assert is_spam_line("百家乐在线,真人娱乐城开户,时时彩 六合彩 棋牌游戏")


def test_prose_and_honest_lists_are_not_spam():
    assert not is_spam_line("亚洲、欧美和日韩市场的在线视频业务增长较快。")
    assert not is_spam_line("长沙高新区,株洲高新区,衡阳高新区,湘潭高新区")
    assert not is_spam_line("国产大飞机C919在线路上完成首次商业飞行,视频网站争相报道")


def test_remove_spam_counts_lines():
    lines = ["亚洲精品,日韩在线视频,免费人成网站,欧美一区二区", "正文第一段。"]
    assert remove_spam(lines) == (["正文第一段。"], 1)
