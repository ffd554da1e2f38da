"""Who a figure is about: the zone registry, zone mentions in text, and subject resolution.

The registry (`extractors/data/zones.tsv`) holds every national high-tech zone with its official
name, province, city, short name and the aliases news pages use (`长沙高新区`, `长沙高新技术产业
开发区`, `麓谷`). Provincial zones are not listed; they are recognised as written (`岳麓高新区`).

`SubjectContext` reads a document once and tells, for a position in its body, the subject of a
figure there: the zone, collective (`湖南省高新区`, `国家高新区`) or region named as the
sentence's subject, else the subject of the paragraph so far, else the document's own zone (from
its title, source or the zone it names most). Deictic words (`我区`, `全区`, `该区`, a bare
`高新区`) resolve to the document's zone, `全省`/`全市` to its province and city.
"""

from __future__ import annotations

import bisect
import csv
import io
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources

from extractors.booktitles import in_title_of_work

__all__ = ["Mention", "SubjectContext", "Zone", "find_mentions", "registry", "zones_table_rows"]

# Read through importlib.resources, so the data files are found inside a zipped egg (Scrapyd) too.
DATA = "data/zones.tsv"
PLACES = "data/places.tsv"


def _tsv_rows(path: str | None, bundled: str) -> list[dict[str, str]]:
    """The rows of a tab-separated file: PATH when given, else the bundled data file BUNDLED."""
    if path:
        with open(path, encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f, delimiter="\t"))
    text = resources.files("extractors").joinpath(bundled).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter="\t"))


_PROVINCE_SUFFIX = re.compile(r"(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$")
_ZONE_HEAD = r"国家级高新技术产业开发区|国家高新技术产业开发区|高新技术产业开发区|高新技术产业园区|国家级高新区|国家高新区|高新区"
_ZONE_ANCHOR = re.compile(_ZONE_HEAD)
_PARK_ANCHOR = re.compile(r"经济技术开发区|经开区")
# The national new areas (国家级新区): subjects of many zone pages, named as written.
NEW_AREAS = [
    "浦东新区",
    "滨海新区",
    "两江新区",
    "舟山群岛新区",
    "兰州新区",
    "南沙新区",
    "西咸新区",
    "贵安新区",
    "西海岸新区",
    "金普新区",
    "天府新区",
    "湘江新区",
    "江北新区",
    "福州新区",
    "滇中新区",
    "哈尔滨新区",
    "长春新区",
    "赣江新区",
    "雄安新区",
]
# Words before 高新区 that make it a group or a reference, not a place's zone.
_GROUP_WORDS = {
    "国家": "national", "全国": "national", "国家级": "national", "全省": "province", "我省": "province",
    "本省": "province", "省内": "province", "全市": "city", "我市": "city", "本市": "city", "市内": "city",
    "省级": "provincial", "省级及以上": "province", "省级以上": "province",
}  # fmt: skip
_DEICTIC_PREFIX = re.compile(
    r"(?:各|该|本|我|这些|这个|此|其他|其余|所有|部分|相关|参评|试点|首批|多家|两家|新晋|升级|示范|入选|全部|各类|"
    r"各级|省级以上|市级|参与|同类|兄弟|周边|沿海|中西部|东部|西部|中部|东北)+$"
)
# Short place names that are also everyday words before 高新区 (新建高新区孵化器, 合作高新区).
_COMMON_WORDS = frozenset(
    [
        "新建",
        "合作",
        "和平",
        "光明",
        "新华",
        "东方",
        "平安",
        "城中",
        "新城",
        "前进",
        "胜利",
        "团结",
        "友谊",
        "红旗",
        "长安",
        "永安",
    ]
)
# What may stand between a place and 高新区 in a provincial zone's name: 岳阳临港高新区.
_QUALIFIERS = ("临港", "空港", "临空", "滨江", "滨海", "江北", "江南", "河西", "城东", "城西", "经开", "新区")
# 区内 alone is left out: 社区内, 景区内, 校区内 are far more common than a zone's
_DEIXIS = re.compile(r"我区|全区|本区|(?<!应)该区|我园|本园区|全园区|园区内|我高新区|该高新区|本高新区")
# A bare 园区 opening a clause is the page's zone (园区实现营业收入…), not 产业园区 or 工业园区.
_CLAUSE_OPENERS = frozenset("，,。；;：:、 \n\t年月度")
_REGION = re.compile(r"全省|我省|本省|全市|我市|本市|全国")
_PREPOSITION_BEFORE = re.compile(
    r"(?:在|于|对|向|从|与|和|同|跟|比|较|占|给|到|至|及|落户|入驻|赴|来|为|是|把|将|由|助力|支持|服务|推动|带动|"
    r"关于|围绕|对标|学习|借鉴|联合)$"
)
_VERB_AFTER = re.compile(
    r"实现|完成|拥有|新增|建成|累计|共有|现有|建有|有|达|引进|培育|认定|获批|入选|落户|集聚|聚集|形成|签约|"
    r"吸引|认证|共|已|全年|今年|上半年|保持|位居|居|排名|排|位列|名列|跃居|列|升至|上升|提升|下降"
)
_COMPARED_WITH = re.compile(r"(?:仅次于|次于|超过|超越|领先于?|落后于?|赶超)[^，,。；;！？\n]*$")
_FRAME_OPEN = re.compile(r"在[^，,。；;！？\n在]*$")
_FRAME_CLOSE = re.compile(r"[^，,。；;！？\n]{0,12}?[中内里上](?:[，,]|位列|排名|排|居|名列|位居)")
_LIST_JOINS = {"、", "和", "及", "与", "，", ","}
_CLAUSE_BREAK = re.compile(r"[，,；;：:]")
_YEAR_END = re.compile(r"(?:19|20)\d\d年度?$")
_NAME_THEN_LIST = re.compile(r"[\u4e00-\u9fff]{1,8}等")
# A count right after a group names the group as what is counted: 国家高新区8家, 省级高新区38个
_COUNT_AFTER = re.compile(r"(?:共|有|达|近|约|超|逾)?[\d０-９一二三四五六七八九十两百]+(?:\.\d+)?\s*[家个所]")
_SENTENCE_ENDS = "。！？!?\n"
_SENTENCE_WINDOW = 600
_LOOK_BACK = 200  # mentions a figure's subject is looked for among, at most
_ZONE_TAIL = re.compile(r"(?:高新区|开发区|园区|示范区)$")  # what a count of zones counts


@dataclass(frozen=True, slots=True)
class Zone:
    id: str
    name: str
    short_name: str
    province: str
    city: str
    level: str
    approved: str
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Mention:
    """A subject named in text. `kind` is `zone` (one zone: `zone_id` set when it is a national
    zone), `group` (a collective: `national`, `province`, `city`, `provincial` in `scope`, or a
    province's zones), `region` (全省, 全市, 全国, a province) or `deixis` (我区, bare 高新区)."""

    start: int
    end: int
    text: str
    kind: str
    name: str
    zone_id: str | None = None
    scope: str | None = None


def _split_aliases(value: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in value.split("|") if a.strip())


@cache
def registry(path: str | None = None) -> tuple[Zone, ...]:
    """The national zones of the registry file, in its order."""
    rows = _tsv_rows(path, DATA)
    return tuple(
        Zone(
            id=r["id"],
            name=r["name"],
            short_name=r["short_name"],
            province=r["province"],
            city=r["city"],
            level=r.get("level") or "national",
            approved=r.get("approved") or "",
            aliases=_split_aliases(r.get("aliases") or ""),
        )
        for r in rows
        if r.get("id")
    )


def zones_table_rows() -> list[dict]:
    """The registry as rows of the database's `zones` table."""
    return [
        {
            "id": z.id,
            "name": z.name,
            "short_name": z.short_name,
            "province": z.province,
            "city": z.city,
            "level": z.level,
            "approved": z.approved or None,
            "aliases": list(z.aliases),
        }
        for z in registry()
    ]


def _short(place: str) -> str:
    """`湖南省` -> `湖南`, `洛阳市` -> `洛阳`, `广西壮族自治区` -> `广西` (a place as texts write it)."""
    return _PROVINCE_SUFFIX.sub("", place) if len(place) > 2 else place


def _forms(z: Zone) -> set[str]:
    """Every way a text names zone Z: its names and aliases, the 国家/国家级 forms of them, and
    the city's full name before 高新区 (`长沙市高新区`)."""
    forms = {z.name, z.short_name, *z.aliases}
    if z.short_name == _short(z.city) + "高新区":
        forms.add(z.city + "高新区")
    for f in list(forms):
        if f.endswith("高新区") and len(f) > 3:
            stem = f[: -len("高新区")]
            forms |= {stem + "国家高新区", stem + "国家级高新区", stem + "高新技术产业开发区"}
    return {f for f in forms if len(f) >= 2}


def _trie_pattern(words: list[str]) -> str:
    """One regex alternative for many literal words, as a trie: the scan tries a few characters at
    each position instead of every word, and a longer word wins over its prefix."""
    trie: dict = {}
    for w in words:
        node = trie
        for c in w:
            node = node.setdefault(c, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(c) + build(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return f"(?:{body})?"
        return body

    return build(trie)


@cache
def _gazetteer(path: str | None = None) -> tuple[dict[str, str], ...]:
    """The rows of the place-name file (`name`, `short`, `level`, `province`, `prefecture`)."""
    return tuple(_tsv_rows(path, PLACES))


@dataclass(frozen=True)
class _Lexicon:
    pattern: re.Pattern
    places: frozenset[str]  # every place name, full and short, down to counties
    provinces: frozenset[str]  # full names
    words: dict[str, tuple[str, str, str | None, str | None]]  # text -> kind, name, zone_id, scope
    by_id: dict[str, Zone]
    city_zone: dict[str, Zone]  # a city with exactly one national zone -> that zone


@cache
def _lexicon() -> _Lexicon:
    zones = registry()
    words: dict[str, tuple[str, str, str | None, str | None]] = {}
    claimed: Counter[str] = Counter()
    for z in zones:
        for f in _forms(z):
            claimed[f] += 1
    for z in zones:
        for f in _forms(z):
            if claimed[f] == 1:  # a form two zones share names neither
                words[f] = ("zone", z.short_name, z.id, None)
    per_city: dict[str, list[Zone]] = {}
    for z in zones:
        per_city.setdefault(z.city, []).append(z)
    city_zone = {c: zs[0] for c, zs in per_city.items() if len(zs) == 1}
    for area in NEW_AREAS:
        words.setdefault(area, ("zone", area, None, None))
    rows = _gazetteer()
    places = frozenset({r["name"] for r in rows} | {r["short"] for r in rows if len(r["short"]) >= 2})
    places -= _COMMON_WORDS
    for r in rows:
        if r["level"] == "province":
            for form in {r["name"], r["short"]}:
                words.setdefault(form + "高新区", ("group", r["name"] + "高新区", None, r["name"]))
                words.setdefault(form, ("region", r["name"], None, r["name"]))
        elif r["level"] == "prefecture" and len(r["short"]) >= 2:
            # county names are often common words (和平, 新华, 城关): only provinces and prefectures
            # are read as regions
            for form in {r["name"], r["short"]}:
                words.setdefault(form, ("region", r["name"], None, r["province"]))
    pattern = re.compile(_trie_pattern(sorted(words)))
    provinces = frozenset(r["name"] for r in rows if r["level"] == "province")
    return _Lexicon(pattern, places, provinces, words, {z.id: z for z in zones}, city_zone)


def _place_before(before: str, places: frozenset[str]) -> str:
    """The longest place name (`宁乡`, `岳阳临港`) that BEFORE ends with, or ''."""
    for qualifier in ("", *_QUALIFIERS):
        if not before.endswith(qualifier):
            continue
        stem = before[: len(before) - len(qualifier)]
        for n in range(min(8, len(stem)), 1, -1):
            if stem[-n:] in places:
                return stem[-n:] + qualifier
    return ""


def _generic(text: str, m: re.Match, places: frozenset[str]) -> Mention:
    """A 高新区 that the registry did not claim: a group (`全省高新区`, `国家高新区`), a provincial
    zone named by its place (`岳麓高新区`), or a reference (`该高新区`, `提升高新区`'s bare 高新区)."""
    before = text[max(0, m.start() - 10) : m.start()]
    head = m.group()
    group = next((w for w in sorted(_GROUP_WORDS, key=len, reverse=True) if before.endswith(w)), None)
    if group:
        start = m.start() - len(group)
        return Mention(start, m.end(), text[start : m.end()], "group", "", scope=_GROUP_WORDS[group])
    place = _place_before(before, places)
    if place:
        start = m.start() - len(place)
        return Mention(start, m.end(), text[start : m.end()], "zone", place + "高新区")
    if head.startswith("国家"):
        return Mention(m.start(), m.end(), head, "group", "", scope="national")
    deictic = _DEICTIC_PREFIX.search(before)
    start = m.start() - (len(deictic.group()) if deictic else 0)
    return Mention(start, m.end(), text[start : m.end()], "deixis", "")


def find_mentions(text: str) -> list[Mention]:
    """The zones, groups of zones, regions and deictic words of TEXT, in order, not overlapping."""
    lex = _lexicon()
    found: list[Mention] = []
    for m in lex.pattern.finditer(text):
        kind, name, zone_id, scope = lex.words[m.group()]
        found.append(Mention(m.start(), m.end(), m.group(), kind, name, zone_id, scope))
    starts = [x.start for x in found]  # in order: the scan is left to right
    for m in _ZONE_ANCHOR.finditer(text):
        i = bisect.bisect_right(starts, m.start()) - 1
        if i >= 0 and found[i].end > m.start():
            continue  # inside a name the registry knows
        found.append(_generic(text, m, lex.places))
    for m in _PARK_ANCHOR.finditer(text):
        before = text[max(0, m.start() - 10) : m.start()]
        place = _place_before(before, lex.places)
        if place:  # 合肥经济技术开发区: another kind of zone, by its short name 合肥经开区
            start = m.start() - len(place)
            found.append(Mention(start, m.end(), text[start : m.end()], "zone", place + "经开区"))
        elif before.endswith(("国家级", "全国")):  # 国家级经开区: the group, named as such
            start = m.start() - 3 if before.endswith("国家级") else m.start() - 2
            found.append(Mention(start, m.end(), text[start : m.end()], "group", "国家级经开区"))
        else:  # a bare 经开区: the page's own park
            found.append(Mention(m.start(), m.end(), m.group(), "deixis", ""))
    for m in _DEIXIS.finditer(text):
        found.append(Mention(m.start(), m.end(), m.group(), "deixis", ""))
    at = text.find("园区")
    while at >= 0:
        if at == 0 or text[at - 1] in _CLAUSE_OPENERS:
            found.append(Mention(at, at + 2, "园区", "deixis", ""))
        at = text.find("园区", at + 2)
    for m in _REGION.finditer(text):
        scope = "national" if m.group() == "全国" else "province" if "省" in m.group() else "city"
        found.append(Mention(m.start(), m.end(), m.group(), "region", "", scope=scope))
    found.sort(key=lambda x: (x.start, -x.end))
    out: list[Mention] = []
    for x in found:
        if out and x.start < out[-1].end:
            continue
        out.append(x)
    return out


class SubjectContext:
    """The subject of figures at positions of one document body (see the module's docstring)."""

    def __init__(
        self, body: str, title: str | None = None, source: str | None = None, site: str | None = None
    ) -> None:
        self.body = body
        everything = find_mentions(body)
        self.mentions = [m for m in everything if not in_title_of_work(body, m.start)]
        self.starts = [m.start for m in self.mentions]
        self._newlines = [m.start() for m in re.finditer("\n", body)]
        # for each mention, the index of the last zone named at or before it (-1: none yet)
        self._last_zone: list[int] = []
        for i, m in enumerate(self.mentions):
            self._last_zone.append(i if m.kind == "zone" else self._last_zone[-1] if i else -1)
        self.home, self.province, self.city = self._home(everything, title or "", source or "")
        self._provincial = bool(
            self.province and self.home and self.home.kind == "group" and self.home.scope != "national"
        )
        self._zone_names = {m.name for m in self.mentions if m.kind == "zone"}
        self._about_a_zone = "高新区" in (title or "") or sum(m.text == "高新区" for m in self.mentions) >= 2
        if self.home is not None and self.home.kind == "zone":
            self._zone_names.add(self.home.name)

    # the document's own zone

    def _home(
        self, everything: list[Mention], title: str, source: str
    ) -> tuple[Mention | None, str | None, str | None]:
        """The zone (or group) the document is about, and its province and city; EVERYTHING is
        every mention of the body, titles of works included."""
        lex = _lexicon()
        home: Mention | None = None
        in_title = find_mentions(title)
        for text, mentions in ((title, in_title), (source, None)):
            plain = re.sub(r"《[^》]*》", "", text)
            whole = mentions if mentions is not None else find_mentions(text)
            # the text outside titles of works first; it is the whole text when it has none
            for candidates in (find_mentions(plain) if plain != text else whole, whole):
                # a zone before a group: 国家高新区综合评价排名出炉 合肥高新区升至第七 is Hefei's page
                home = next((m for m in candidates if m.kind == "zone"), None) or next(
                    (m for m in candidates if _group_of_zones(m)), None
                )
                if home:
                    break
            if home:
                break
        if home is None:
            # a page about a province or a city (长沙市上半年高新技术产业总产值…): that region
            home = next((m for m in in_title if m.kind == "region" and m.name), None)
        named = Counter(m.name for m in self.mentions if m.kind == "zone")
        speaks_of_a_zone = any(m.kind == "deixis" for m in self.mentions)
        if home is None and named and (speaks_of_a_zone or len(named) == 1):
            # the zone the page names most, or the only one it names, twice at least
            (top, n), *rest = named.most_common(2) + [("", 0)]
            if n >= 2 and n > rest[0][1]:  # named once is named in passing
                home = next(m for m in self.mentions if m.kind == "zone" and m.name == top)
        # places named anywhere, titles of works included (《2022年度湖南省高新区发展报告》)
        places = [m for m in in_title + everything if m.kind == "region" and m.name]
        if home is None and speaks_of_a_zone:
            # the page speaks of "the zone" (我区, 高新区) without naming it: the zone of the city it
            # names most, where that city has one national zone
            cities = Counter(m.name for m in places if m.name in lex.city_zone)
            if cities:
                z = lex.city_zone[cities.most_common(1)[0][0]]
                home = Mention(0, 0, z.short_name, "zone", z.short_name, z.id)
        if home is None:
            # 高新区前三季度经济运行…, 上半年经开区工业经济…: a zone page that never names its zone
            home = next((m for m in in_title if m.kind == "deixis"), None)
        zone = lex.by_id.get(home.zone_id) if home and home.zone_id else None
        if zone:
            return home, zone.province, zone.city
        province = home.scope if home and home.kind == "group" and home.scope in lex.provinces else None
        province_groups = (m.scope for m in everything if m.kind == "group" and m.scope in lex.provinces)
        province = province or next((m.name for m in places if m.name in lex.provinces), None)
        province = province or next(province_groups, None)
        city = next((m.name for m in places if m.name not in lex.provinces), None)
        return home, province, city

    # resolution

    def resolve(self, m: Mention) -> tuple[str | None, str | None]:
        """The subject name and zone id a mention stands for in this document."""
        if m.kind == "zone":
            return m.name, m.zone_id
        if m.kind == "group":
            if m.name:
                return m.name, None
            if m.scope == "national":
                # in a province's report, 其中9家国家高新区 are the province's national zones
                if self._provincial and "全国" not in self.body[max(0, m.start - 8) : m.start]:
                    return f"{self.province}国家高新区", None
                return "国家高新区", None
            if m.scope == "province":
                return (f"{self.province}高新区" if self.province else "全省高新区"), None
            if m.scope == "city":
                return (f"{self.city}高新区" if self.city else "全市高新区"), None
            return (f"{self.province}省级高新区" if self.province else "省级高新区"), None
        if m.kind == "region":
            if m.name:
                return m.name, None
            if m.scope == "national":
                return "全国", None
            return (self.province if m.scope == "province" else self.city), None
        # 该区 is the zone just named; 我区, 全区 and a bare 高新区 are the document's own. A bare
        # 经开区 is only ever a 经开区.
        park = _is_park(m.text)
        home = self.home if self.home is not None and self.home.kind != "deixis" else None
        # (the home itself, when it is a title's bare 高新区, has no place in the body)
        candidates = [self._zone_before(m.start), home] if m is not self.home else []
        candidates = [c for c in candidates if c is not None and _is_park(c.name) == park]
        if not m.text.startswith("该"):
            candidates.reverse()
        if candidates:
            return self.resolve(candidates[0])
        # a zone page that never names its zone (高新区前三季度经济运行…): say at least that much
        if park:
            return "经开区", None
        return ("高新区" if self._about_a_zone else None), None

    def _paragraph_start(self, pos: int) -> int:
        i = bisect.bisect_left(self._newlines, pos) - 1
        return self._newlines[i] + 1 if i >= 0 else 0

    def _zone_before(self, pos: int) -> Mention | None:
        i = bisect.bisect_left(self.starts, pos) - 1
        j = self._last_zone[i] if i >= 0 else -1
        return self.mentions[j] if j >= 0 else None

    def _subject_like(self, m: Mention, figure: int | None) -> bool:
        """Whether mention M is a subject rather than an object, a place (在高新区), an example
        (杭州高新区等13家), a counted noun (国家高新区8家) or, for the figure at FIGURE in the same
        sentence, its scope (全省75%, 全省园区43.77%的)."""
        body = self.body
        after = body[m.end : m.end + 2]
        if after[:1] in ("等", "、"):
            return False
        if m.kind == "region" and m.name and figure == m.end and body.startswith("第", figure):
            return True  # 长沙高新区排名第16名，株洲第28名: one of a ranking (全国第五 is its scope)
        if m.kind != "zone" and (_COUNT_AFTER.match(body, m.end) or body.startswith("第", m.end)):
            # 国家高新区8家 counts zones, 居全国高新区第二位 ranks among them; 湘潭高新区75名
            # and 8个国家高新区7831亿元 are their subjects' figures
            return False
        if _PREPOSITION_BEFORE.search(_YEAR_END.sub("", body[max(0, m.start - 10) : m.start])):
            return False  # 在(2022年)国家高新区综合评价中: a place or a frame, not who did it
        if _NAME_THEN_LIST.match(body, m.end):
            return False  # 北京中关村创业大街孵化器等152家: part of an example's name
        if _FRAME_OPEN.search(body, max(0, m.start - 12), m.start) and _FRAME_CLOSE.match(body, m.end):
            return False  # 在全国169家国家高新区综合排名中: the frame of a ranking
        if _COMPARED_WITH.search(body, max(0, m.start - 20), m.start):
            return False  # 仅次于北京中关村、上海张江: what the subject is compared with
        if m.kind == "region":
            # 全省75%的, 全省园区43.77%的: the scope of the figure; 全省新增的6家: who did it. A
            # region of an earlier sentence is not carried on (衡阳市民踊跃参加。…3000人)
            between = body[m.end : figure] if figure is not None else "，"
            return not _CLAUSE_BREAK.search(between) and bool(_VERB_AFTER.search(between))
        return True

    def _listed(self, pos: int, index: int, n: int) -> tuple[str | None, str | None] | None:
        """The INDEX-th of N subjects listed before a 分别 list of figures: 郑州、洛阳、新乡、平顶山
        4家国家高新区…分别列第17位、第37位、第66位和第88位 gives 第66位 to 新乡高新区."""
        lex = _lexicon()
        sentence = _sentence_start(self.body, pos)
        if "分别" not in self.body[sentence:pos]:
            return None
        i = bisect.bisect_left(self.starts, pos) - 1
        runs: list[list[Mention]] = []
        while i >= 0 and self.mentions[i].start >= sentence:
            m = self.mentions[i]
            listable = m.kind == "zone" or (m.kind == "region" and m.name)
            if listable and runs and self.body[m.end : runs[-1][0].start] in _LIST_JOINS:
                runs[-1].insert(0, m)
            elif listable:
                runs.append([m])
            i -= 1
        run = next((r for r in runs if len(r) == n), None)
        if run is None:
            return None
        m = run[index]
        zones_follow = "高新区" in self.body[run[-1].end : run[-1].end + 12]
        if m.kind == "region" and zones_follow and m.name in lex.city_zone:
            z = lex.city_zone[m.name]
            return z.short_name, z.id  # 郑州、洛阳…4家国家高新区: each city's zone
        return self.resolve(m)

    def subject_at(
        self, pos: int, counted: str | None = None, item: tuple[int, int] | None = None
    ) -> tuple[str | None, str | None]:
        """(subject, zone_id) for a figure that starts at POS.

        ITEM is (index, length) when the figure is one of a 分别 list: the subject is then the
        index-th of a list of as many subjects before it, where the sentence has one.

        COUNTED is what the figure counts. A count of zones (`13家首批试点高新区`) belongs to a
        group that holds zones: a zone named before it is an example, so the nearest group before
        it is the subject, or else the group the counted zones name (`168家国家高新区`), or the
        province of the zone or the document."""
        if item is not None and item[1] > 1 and (listed := self._listed(pos, *item)):
            return listed
        subject, zone_id = self._subject_at(pos)
        if not counted or not _ZONE_TAIL.search(counted):
            return subject, zone_id
        i = bisect.bisect_left(self.starts, pos) - 1
        scope = self.mentions[i] if i >= 0 else None
        if scope and scope.kind == "region" and not self.body[scope.end : pos].strip("共有计约近超过逾"):
            name, _ = self.resolve(scope)  # 全省44家省级及以上高新区, 山东省13家高新区: its zones
            if name:
                return ("国家高新区" if name == "全国" else f"{name}高新区"), None
        if subject is not None and zone_id is None and subject not in self._zone_names:
            return subject, zone_id  # already a group or a region
        paragraph = self._paragraph_start(pos)
        last = max(-1, i - _LOOK_BACK)
        while i > last and self.mentions[i].start >= paragraph:
            m = self.mentions[i]
            # any group but another figure's counted noun tells which set the zones belong to
            if m.kind == "group" and not _COUNT_AFTER.match(self.body, m.end):
                return self.resolve(m)
            i -= 1
        if "国家" in counted:
            return "国家高新区", None
        zone = _lexicon().by_id.get(zone_id or "")
        province = zone.province if zone else self.province
        return (f"{province}高新区" if province else subject), None

    def _subject_at(self, pos: int) -> tuple[str | None, str | None]:
        body = self.body
        sentence = _sentence_start(body, pos)
        paragraph = self._paragraph_start(pos)
        i = bisect.bisect_left(self.starts, pos) - 1
        # (a paragraph that runs on for pages is looked back into only so far: a linear cost)
        last = max(-1, i - _LOOK_BACK)
        while i > last and self.mentions[i].start >= paragraph:
            m = self.mentions[i]
            if m.end <= pos and self._subject_like(m, pos if m.start >= sentence else None):
                return self.resolve(m)
            i -= 1
        return self.resolve(self.home) if self.home else (None, None)


def _is_park(name: str) -> bool:
    """An economic and technological development zone (经开区), not a high-tech zone."""
    return "经开区" in name or "经济技术开发区" in name


def _group_of_zones(m: Mention) -> bool:
    """湖南省高新区, 全省高新区, 国家高新区: a page about them reports on a group of zones."""
    return m.kind == "group" and (bool(m.name) or m.scope in ("province", "national"))


def _sentence_start(text: str, pos: int) -> int:
    """Where the sentence holding POS begins (at most _SENTENCE_WINDOW characters back: text that
    runs on without a sentence end is read in windows, so a page costs time linear in its length)."""
    lo = max(0, pos - _SENTENCE_WINDOW)
    found = max(text.rfind(c, lo, pos) for c in _SENTENCE_ENDS)
    return found + 1 if found >= 0 else lo
