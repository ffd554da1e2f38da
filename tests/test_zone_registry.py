"""The national high-tech zone registry (`extractors/data/zones.tsv`): complete, consistent, unambiguous.

The registry lists every 国家高新技术产业开发区 the State Council has approved, counted the way the
Torch Center counts them (苏州工业园区 included): 169 by 2020, 177 at the end of 2022, 178 after
阿克苏阿拉尔 (June 2023), 179 after 河北雄安 (February 2026).
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

TSV = Path(__file__).resolve().parent.parent / "extractors" / "data" / "zones.tsv"
COLUMNS = [
    "id",
    "name",
    "short_name",
    "province",
    "city",
    "level",
    "approved",
    "aliases",
    "website",
    "website_source",
]
EXPECTED_TOTAL = 179

# The 31 province-level divisions of the mainland in the order of GB/T 2260, then the Corps.
PROVINCES = [
    "北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省", "上海市", "江苏省",
    "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "广西壮族自治区",
    "海南省", "重庆市", "四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省", "青海省", "宁夏回族自治区",
    "新疆维吾尔自治区",
]  # fmt: skip
CORPS = "新疆生产建设兵团"
PROVINCE_ORDER = [*PROVINCES, CORPS]

OFFICIAL_SUFFIXES = (
    "高新技术产业开发区",
    "高技术产业开发区",
    "高新技术产业园区",
    "新技术开发区",
    "农业高新技术产业示范区",
    "科技园区",
    "工业园区",
)
GENERIC_WORDS = {"高新区", "国家高新区", "国家级高新区", "高新技术产业开发区", "开发区", "园区", "示范区"}
PLACE_SUFFIX = re.compile(r"(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|自治州|地区|新区)$")


def load() -> list[dict[str, str]]:
    with TSV.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


ROWS = load()
BY_ID = {r["id"]: r for r in ROWS}


def aliases(row: dict[str, str]) -> list[str]:
    return row["aliases"].split("|") if row["aliases"] else []


def labels(row: dict[str, str]) -> set[str]:
    """Every name the row gives its zone."""
    return {row["name"], row["short_name"], *aliases(row)}


def written_forms(row: dict[str, str]) -> set[str]:
    """The row's names plus the forms news pages build from a `X高新区` name."""
    forms = labels(row)
    for label in list(forms):
        if label.endswith("高新区") and len(label) > 3:
            stem = label[: -len("高新区")]
            forms |= {stem + "国家高新区", stem + "国家级高新区", stem + "高新技术产业开发区"}
    return forms


def approved_by(year: int) -> list[dict[str, str]]:
    return [r for r in ROWS if r["approved"] and int(r["approved"]) <= year]


def test_file_shape():
    raw = TSV.read_text(encoding="utf-8")
    lines = raw.splitlines()
    assert lines[0].split("\t") == COLUMNS
    assert raw.endswith("\n") and "\r" not in raw
    for n, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        assert len(cells) == len(COLUMNS), f"line {n}: {len(cells)} fields"
        assert all(c == c.strip() for c in cells), f"line {n}: stray whitespace"


def test_total_count():
    assert len(ROWS) == EXPECTED_TOTAL


def test_ids_are_unique_ascii_slugs():
    ids = [r["id"] for r in ROWS]
    assert len(set(ids)) == len(ids), [i for i, n in Counter(ids).items() if n > 1]
    for i in ids:
        assert re.fullmatch(r"[a-z]+(?:-[a-z]+)*", i), i


def test_names_and_short_names_are_unique():
    for column in ("name", "short_name"):
        counts = Counter(r[column] for r in ROWS)
        assert not [v for v, n in counts.items() if n > 1], column


def test_every_row_is_national():
    assert {r["level"] for r in ROWS} == {"national"}


def test_official_names_have_an_official_ending():
    for r in ROWS:
        assert r["name"].endswith(OFFICIAL_SUFFIXES), r["name"]


def test_provinces_are_province_level_divisions():
    for r in ROWS:
        assert r["province"] in PROVINCE_ORDER, (r["id"], r["province"])


def test_every_province_level_division_has_a_zone():
    assert {r["province"] for r in ROWS} >= set(PROVINCES)


def test_cities_are_places_not_zones():
    for r in ROWS:
        assert r["city"], r["id"]
        assert PLACE_SUFFIX.search(r["city"]), (r["id"], r["city"])
        assert "高新" not in r["city"]


def test_rows_sorted_by_province_then_city():
    keys = [(PROVINCE_ORDER.index(r["province"]), r["city"]) for r in ROWS]
    assert keys == sorted(keys)


def test_approved_is_a_plausible_year_or_empty():
    for r in ROWS:
        assert r["approved"] == "" or re.fullmatch(r"(?:19|20)\d\d", r["approved"]), r
        if r["approved"]:
            assert 1988 <= int(r["approved"]) <= 2026, r


@pytest.mark.parametrize(
    "year, total",
    [
        (1991, 27),  # 北京 (1988) and the 26 zones of March 1991
        (1992, 52),  # the 25 zones of November 1992
        (2012, 106),  # 105 zones after the 2012 upgrades, with 苏州工业园区
        (2021, 169),  # 169 国家高新区 through 2020 and 2021
        (2022, 177),  # 177 at the end of 2022
        (2025, 178),  # 178 from June 2023 until 2026
    ],
)
def test_running_totals_match_published_counts(year, total):
    assert len(approved_by(year)) == total


def test_newest_approvals():
    by_year = defaultdict(set)
    for r in ROWS:
        by_year[r["approved"]].add(r["id"])
    assert by_year["2022"] == {
        "chuzhou", "xinyang", "kelamayi", "zunyi",  # June 2022
        "anqing", "lasa", "ningxiang", "xuchang",  # December 2022
    }  # fmt: skip
    assert by_year["2023"] == {"akesu-alaer"}
    assert by_year["2026"] == {"xiongan"}
    assert not by_year["2016"] and not by_year["2019"] and not by_year["2020"] and not by_year["2021"]


@pytest.mark.parametrize(
    "province, count",
    [
        ("江苏省", 18),
        ("广东省", 14),
        ("山东省", 13),
        ("湖北省", 12),
        ("湖南省", 9),
        ("河南省", 9),
        ("安徽省", 8),
        ("浙江省", 8),
        ("河北省", 6),
        ("北京市", 1),
        ("上海市", 2),
        ("重庆市", 4),
        ("西藏自治区", 1),
        ("新疆维吾尔自治区", 4),
        ("新疆生产建设兵团", 1),
    ],
)
def test_province_counts(province, count):
    assert sum(r["province"] == province for r in ROWS) == count


def test_aliases_are_clean():
    for r in ROWS:
        al = aliases(r)
        assert len(al) == len(set(al)), r["id"]
        for a in al:
            assert a and a == a.strip() and " " not in a, (r["id"], a)
            assert a not in (r["name"], r["short_name"]), (r["id"], a)


def test_no_alias_is_a_bare_place_or_a_generic_word():
    places = set(PROVINCE_ORDER) | {r["city"] for r in ROWS}
    places |= {PLACE_SUFFIX.sub("", p) for p in list(places)}
    places |= {"内蒙古", "广西", "西藏", "宁夏", "新疆", "兵团"}
    for r in ROWS:
        for label in labels(r):
            assert label not in places, (r["id"], label)
            assert label not in GENERIC_WORDS, (r["id"], label)


def test_no_name_points_at_two_zones():
    owners = defaultdict(set)
    for r in ROWS:
        for form in labels(r):
            owners[form].add(r["id"])
    assert {f: ids for f, ids in owners.items() if len(ids) > 1} == {}


def test_no_derived_form_points_at_two_zones():
    owners = defaultdict(set)
    for r in ROWS:
        for form in written_forms(r):
            owners[form].add(r["id"])
    assert {f: ids for f, ids in owners.items() if len(ids) > 1} == {}


@pytest.mark.parametrize(
    "city, ids",
    [
        ("苏州市", {"suzhou", "suzhou-sip"}),
        ("上海市", {"zhangjiang", "zizhu"}),
        ("长春市", {"changchun", "changchun-jingyue"}),
        ("常州市", {"changzhou", "wujin"}),
        ("重庆市", {"chongqing", "bishan", "rongchang", "yongchuan"}),
    ],
)
def test_cities_with_several_zones(city, ids):
    assert {r["id"] for r in ROWS if r["city"] == city} == ids
    city_zone = f"{PLACE_SUFFIX.sub('', city)}高新区"
    holders = {r["id"] for r in ROWS if city_zone in labels(r)}
    assert len(holders) <= 1, (city_zone, holders)


@pytest.mark.parametrize(
    "zid, name, short, province, city, approved, must_alias",
    [
        ("zhongguancun", "中关村科技园区", "中关村", "北京市", "北京市", "1988", ["中关村科技园"]),
        (
            "changsha",
            "长沙高新技术产业开发区",
            "长沙高新区",
            "湖南省",
            "长沙市",
            "1991",
            ["长沙国家高新区", "麓谷"],
        ),
        (
            "donghu",
            "武汉东湖新技术开发区",
            "东湖高新区",
            "湖北省",
            "武汉市",
            "1991",
            ["光谷", "武汉东湖高新区"],
        ),
        ("zhangjiang", "上海张江高新技术产业开发区", "张江高新区", "上海市", "上海市", "1991", ["张江"]),
        ("zizhu", "上海紫竹高新技术产业开发区", "紫竹高新区", "上海市", "上海市", "2011", ["上海紫竹高新区"]),
        ("suzhou-sip", "苏州工业园区", "苏州工业园区", "江苏省", "苏州市", "1994", ["苏州工业园"]),
        ("suzhou", "苏州高新技术产业开发区", "苏州高新区", "江苏省", "苏州市", "1992", ["苏州国家高新区"]),
        ("yangling", "杨凌农业高新技术产业示范区", "杨凌示范区", "陕西省", "咸阳市", "1997", []),
        ("hangzhou", "杭州高新技术产业开发区", "杭州高新区", "浙江省", "杭州市", "1991", ["杭州国家高新区"]),
        ("ningbo", "宁波高新技术产业开发区", "宁波高新区", "浙江省", "宁波市", "2007", ["宁波国家高新区"]),
        ("shenzhen", "深圳市高新技术产业园区", "深圳高新区", "广东省", "深圳市", "1991", ["深圳国家高新区"]),
        ("dalian", "大连高新技术产业园区", "大连高新区", "辽宁省", "大连市", "1991", ["大连国家高新区"]),
        (
            "xiamen-huoju",
            "厦门火炬高技术产业开发区",
            "厦门火炬高新区",
            "福建省",
            "厦门市",
            "1991",
            ["厦门高新区"],
        ),
        (
            "dongguan-songshanhu",
            "东莞松山湖高新技术产业开发区",
            "东莞松山湖高新区",
            "广东省",
            "东莞市",
            "2010",
            ["松山湖"],
        ),
        ("kunshan", "昆山高新技术产业开发区", "昆山高新区", "江苏省", "昆山市", "2010", ["昆山国家高新区"]),
        ("jiangyin", "江阴高新技术产业开发区", "江阴高新区", "江苏省", "江阴市", "2011", []),
        ("changshu", "常熟高新技术产业开发区", "常熟高新区", "江苏省", "常熟市", "2015", []),
        ("ningxiang", "宁乡高新技术产业开发区", "宁乡高新区", "湖南省", "宁乡市", "2022", []),
        ("lasa", "拉萨高新技术产业开发区", "拉萨高新区", "西藏自治区", "拉萨市", "2022", ["拉萨国家高新区"]),
        ("shihezi", "石河子高新技术产业开发区", "石河子高新区", "新疆生产建设兵团", "石河子市", "2013", []),
        (
            "akesu-alaer",
            "阿克苏阿拉尔高新技术产业开发区",
            "阿克苏阿拉尔高新区",
            "新疆维吾尔自治区",
            "阿克苏地区",
            "2023",
            [],
        ),
        (
            "xiongan",
            "河北雄安高新技术产业开发区",
            "雄安高新区",
            "河北省",
            "雄安新区",
            "2026",
            ["河北雄安高新区"],
        ),
        (
            "huanghe-sanjiaozhou",
            "黄河三角洲农业高新技术产业示范区",
            "黄河三角洲农高区",
            "山东省",
            "东营市",
            "2015",
            [],
        ),
        (
            "tianjin",
            "天津滨海高新技术产业开发区",
            "天津高新区",
            "天津市",
            "天津市",
            "1991",
            ["天津滨海高新区"],
        ),
        ("baotou-xitu", "包头稀土高新技术产业开发区", "包头稀土高新区", "内蒙古自治区", "包头市", "1992", []),
        ("laiwu", "莱芜高新技术产业开发区", "莱芜高新区", "山东省", "济南市", "2015", []),
    ],
)
def test_known_zones(zid, name, short, province, city, approved, must_alias):
    r = BY_ID[zid]
    assert (r["name"], r["short_name"], r["province"], r["city"], r["approved"]) == (
        name,
        short,
        province,
        city,
        approved,
    )
    for a in must_alias:
        assert a in aliases(r), (zid, a)


def test_short_names_follow_the_official_name():
    """A zone called `X高新技术产业开发区` is `X高新区` for short, or a part of X for the few that news
    pages name by the area (张江, 紫竹) or by the city alone (天津)."""
    for r in ROWS:
        name, short = r["name"], r["short_name"]
        for suffix in ("高新技术产业开发区", "高技术产业开发区"):
            if name.endswith(suffix):
                stem = name[: -len(suffix)]
                part = short[: -len("高新区")]
                assert short == stem + "高新区" or stem.startswith(part) or stem.endswith(part), (name, short)
                break


def test_provincial_zones_are_not_listed():
    names = {r["name"] for r in ROWS} | {r["short_name"] for r in ROWS}
    for provincial in (
        "宜宾高新区",
        "南充高新区",
        "淮北高新区",
        "长三角青吴嘉高新技术产业开发区",
        "河南周口国家农业高新技术产业示范区",
    ):
        assert provincial not in names


def test_a_website_comes_with_the_source_that_names_it():
    """Portal addresses are never guessed: each has the page or document it was read from, and the
    count in extractors/data/README.md is the file's."""
    with_site = [r for r in load() if r["website"]]
    for r in with_site:
        assert re.fullmatch(r"https?://[a-z0-9.-]+(?::\d+)?/\S*", r["website"]), r["id"]
        assert r["website_source"].strip(), f"{r['id']}: a website without its source"
    assert all(not r["website_source"] for r in load() if not r["website"])
    readme = (TSV.parent / "README.md").read_text(encoding="utf-8")
    assert f"`website`: {len(with_site)} of {len(load())} zones" in readme
