"""extractors/data/places.tsv: China's divisions down to county level, with the short forms texts use."""

from __future__ import annotations

import csv
from collections import Counter
from functools import cache

import pytest
from conftest import ROOT

PLACES = ROOT / "extractors" / "data" / "places.tsv"
COLUMNS = ["name", "short", "level", "province", "prefecture"]


@cache
def rows() -> tuple[dict[str, str], ...]:
    with open(PLACES, encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f, delimiter="\t"))


def at(level: str) -> list[dict[str, str]]:
    return [r for r in rows() if r["level"] == level]


def row(name: str, level: str, province: str | None = None) -> dict[str, str]:
    found = [
        r for r in rows() if r["name"] == name and r["level"] == level and province in (None, r["province"])
    ]
    assert len(found) == 1, (name, level, province, found)
    return found[0]


def test_header_and_shape():
    with open(PLACES, encoding="utf-8", newline="") as f:
        lines = f.read().splitlines()
    assert lines[0].split("\t") == COLUMNS
    bad = [line for line in lines[1:] if len(line.split("\t")) != len(COLUMNS)]
    assert not bad, bad[:5]
    assert all(r["name"] and r["short"] and r["province"] for r in rows())
    assert {r["level"] for r in rows()} == {"province", "prefecture", "county"}


def test_counts_per_level():
    assert len(at("province")) == 34
    assert 330 <= len(at("prefecture")) <= 340
    assert 2800 <= len(at("county")) <= 2900


def test_no_duplicate_rows():
    counts = Counter((r["name"], r["level"], r["province"], r["prefecture"]) for r in rows())
    assert [k for k, n in counts.items() if n > 1] == []


def test_hierarchy_refers_to_rows_in_the_file():
    provinces = {r["name"] for r in at("province")}
    prefectures = {(r["province"], r["name"]) for r in at("prefecture")}
    for r in at("province"):
        assert r["province"] == r["name"] and r["prefecture"] == "", r
    for r in at("prefecture"):
        assert r["province"] in provinces and r["prefecture"] == "", r
    for r in at("county"):
        assert r["province"] in provinces, r
        if r["prefecture"]:
            assert (r["province"], r["prefecture"]) in prefectures, r


def test_every_province_but_the_special_ones_has_counties():
    with_counties = {r["province"] for r in at("county")}
    without = {r["name"] for r in at("province")} - with_counties
    assert without == {"台湾省", "香港特别行政区", "澳门特别行政区"}


def test_short_forms():
    for r in rows():
        short, name = r["short"], r["name"]
        assert len(short) >= 2, r
        assert name.startswith(short), r
        assert "自治" not in short and not short.endswith("族"), r
        if short != name:
            assert len(name) > len(short), r


@pytest.mark.parametrize(
    "name, short, level, province, prefecture",
    [
        ("岳麓区", "岳麓", "county", "湖南省", "长沙市"),
        ("宁乡市", "宁乡", "county", "湖南省", "长沙市"),
        ("津市市", "津市", "county", "湖南省", "常德市"),
        ("湘西土家族苗族自治州", "湘西", "prefecture", "湖南省", ""),
        ("恩施土家族苗族自治州", "恩施", "prefecture", "湖北省", ""),
        ("广西壮族自治区", "广西", "province", "广西壮族自治区", ""),
        ("内蒙古自治区", "内蒙古", "province", "内蒙古自治区", ""),
        ("新疆维吾尔自治区", "新疆", "province", "新疆维吾尔自治区", ""),
        ("香港特别行政区", "香港", "province", "香港特别行政区", ""),
        ("湖南省", "湖南", "province", "湖南省", ""),
        ("洛阳市", "洛阳", "prefecture", "河南省", ""),
        ("岳阳市", "岳阳", "prefecture", "湖南省", ""),
        ("锡林郭勒盟", "锡林郭勒", "prefecture", "内蒙古自治区", ""),
        ("阿里地区", "阿里", "prefecture", "西藏自治区", ""),
        ("仙桃市", "仙桃", "county", "湖北省", ""),
        ("神农架林区", "神农架", "county", "湖北省", ""),
        ("济源市", "济源", "county", "河南省", ""),
        ("海淀区", "海淀", "county", "北京市", ""),
        ("沙县区", "沙县", "county", "福建省", "三明市"),
        ("六枝特区", "六枝", "county", "贵州省", "六盘水市"),
        ("东乡族自治县", "东乡", "county", "甘肃省", "临夏回族自治州"),
        ("双江拉祜族佤族布朗族傣族自治县", "双江", "county", "云南省", "临沧市"),
        ("鄂伦春自治旗", "鄂伦春", "county", "内蒙古自治区", "呼伦贝尔市"),
        ("矿区", "矿区", "county", "山西省", "阳泉市"),
        ("赵县", "赵县", "county", "河北省", "石家庄市"),
    ],
)
def test_known_rows(name, short, level, province, prefecture):
    r = row(name, level, province)
    assert (r["short"], r["prefecture"]) == (short, prefecture)


def test_one_character_stems_keep_the_full_name():
    assert {r["short"] for r in rows() if r["name"] == "城区"} == {"城区"}
    assert {r["short"] for r in rows() if r["name"] == "郊区"} == {"郊区"}


def test_statistical_units_are_not_divisions():
    words = (
        "开发区",
        "产业园区",
        "工业园区",
        "管理区",
        "管委会",
        "示范区",
        "实验区",
        "群岛",
        "委员会",
        "街道",
    )
    assert [r["name"] for r in rows() if any(w in r["name"] for w in words)] == []
    assert [r["name"] for r in rows() if r["name"] in {"市辖区", "县", "省直辖县级行政区划"}] == []


def test_cities_without_counties_are_prefectures():
    for name in ("东莞市", "中山市", "嘉峪关市", "儋州市"):
        row(name, "prefecture")
        assert not [r for r in at("county") if r["prefecture"] == name]


def test_place_names_before_a_zone():
    names = {r["name"] for r in rows()} | {r["short"] for r in rows()}
    assert {"宁乡", "岳麓", "津市", "岳阳", "洛阳", "洛阳市", "长沙", "湘西"} <= names
    assert not {"提升", "服务", "推动", "打造", "高新"} & names
