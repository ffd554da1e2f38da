"""Indicator phrases: the name of what a figure measures, read from the words around it.

Chinese statistical prose puts the indicator either before the figure (`高新技术企业4399家`,
`全省高新区建成省级及以上研发平台1422个`) or, for counts, after the measure word (`46家国家及省级高新区`,
`75%的科创板上市企业`). These functions cut such a phrase down to the column name a researcher would
use: no subject (`全省高新区`, `我区`), no time words (`2021年`), no verb (`建成`, `实现`, `达到`) and no
level qualifier (`省级及以上`).
"""

from __future__ import annotations

import re
from functools import lru_cache

_CJK = r"\u4e00-\u9fff"
# Short asides inside a phrase: 创新平台(载体), 研发平台（含孵化器）.
PAREN = re.compile(r"[(（][^()（）\d]{0,10}[)）]")
CLAUSE_SPLIT = re.compile(r"[,，;；:：、()（）。!?！？<>《》\[\]【】—]")
SPACE_NEAR_CJK = re.compile(rf"\s+(?=[{_CJK}])|(?<=[{_CJK}])\s+")
QUOTES = re.compile(r"[“”\"‘’'「」『』]")

# Verbs and copulas that end the words before a figure: 达到, 为, 共有 ...
_TRAIL = re.compile(
    r"(?:分别为|分别达到|分别达|分别是|分别|已经达到|已达到|已达|已有|达到了|达到|达|为|是|有|共有|拥有|共计|合计|总计|"
    r"累计|共|约|约为|突破|超过|超|逾|近|增至|升至|增加到|增加至|提高到|提高至|提升至|提升到|入库|评价|认定|"
    r"备案|登记|了|新增|净增|净增加|获批|入选|落户|入驻|的|等|不|仅|就|也|又|还|再|均|全年|当年|已经|已|"
    r"实现了|实现|完成了|完成)$"
)
# A comparison base before a rate: 用水量比2020年下降 -> 用水量
_BASE = re.compile(
    r"(?:(?:比|较|与)(?:\d{4}年(?:末|底|初)?|上年(?:末|底)?|去年|同期|上年同期|年初|上月|上季度|此前|[一二三四]季度|上半年|前\S{1,3}月)(?:同期)?(?:相比)?"
    r"|(?:从|自|到|至|在|于|截至)?(?:\d{4}|\d{2}[xX]{2})\s*年(?:度|底|末|初|年末|年底)?(?:的)?"
    r"|预计将|预将|有望|将|从|由|自|对)$"
)
# Verbs whose object is the indicator: 建成研发平台, 实现进出口总额, 入选培育库企业.
_VERB = re.compile(
    r"建成|实现|完成|达到|拥有|共有|现有|具有|具备|新增|累计|培育(?![库期])|引进|认定|获批|入选|推荐|上报|落户|实施|组织|聚集|"
    r"集聚|汇聚|突破|形成|设立|获得|开展|举办|签约|吸引|带动|引入|新建|包括|包含|涵盖|启动|参加|参与|申报|评为|"
    r"成为|落地|获评|入围|入驻|布局|打造|储备|招引|认定为|拥有了|实现了|完成了|建成了|引育|遴选|选出|发放|兑现|"
    r"争取|撬动|吸纳|带动了|共建|组建|搭建|新增了|培育了|引进了|推动|支持|帮助|服务了"
)
_TIME = re.compile(
    r"^(?:截至|截止|到|至|在|于)?(?:目前|现在|(?:\d{4}|\d{2}[xX×]{2}|[〇零一二三四五六七八九]{4})\s*年(?:度|底|末|初|内)?|"
    r"上半年|下半年|前三季度|[一二三四]季度|\d{1,2}(?:-\d{1,2})?月(?:份|底|末)?)+"
)
_LEAD = re.compile(
    r"^(?:已经|已|较上年|比上年|较去年|比去年|同比|环比|与上年相比|力争|争取|确保|预计|计划|目标是|目标|拟|将|截至目前|截至|截止|目前|现有|现|当年|今年|去年|上年|全年|年内|同期|其中|同时|此外|另外|共有|共|累计|"
    r"有效期内|期间|以来|十[一二三四五]五(?:期间|以来)?|全省|全市|全区|全县|全国|全球|我省|我市|我区|我县|本区|本市|"
    r"该区|区内|园区内|园区(?!生产总值)(?=.{2,})|省内|市内|县内|辖区内|区域内|全省高新区|全市高新区|国家高新区(?=.{3,})|高新区(?=.{2,})|"
    r"(?:[{_CJK}]{2,6}?)?(?:高新区|开发区|经开区|自创区|自贸区)(?=.{2,}))".replace("{_CJK}", _CJK)
)
ZONE_WORD = re.compile(r"高新区|开发区|经开区|自创区|自贸区|示范区")
# Level qualifiers a column name leaves out: 省级及以上研发平台 -> 研发平台.
LEVEL_FLOOR = re.compile(r"(?:国家|省|市|县|区)级?(?:及|和)?以上")
# Words that end the indicator after a count: 6家国家级科技企业孵化器均落户于高新区.
# Single characters stop only where they are not part of a common noun (公共, 居民, 在建, 行为).
_RIGHT_STOP = re.compile(
    r"均|都|已|也|还|将(?!军)|以(?=[占为达实完])|在(?![建线校孵职营库])|占(?!地)|(?<![发到抵通下])达|分别|是(?!否)|"
    r"(?<![行作认成因])为|被|同比|比上年|较上年|环比|增长(?![点极])|下降|其中|(?<![公总])共(?![享建性同])|合计|"
    r"落户|入选|实现|完成|获得|启动|参加|参与|成为|位于|位居|进入|通过|入驻|落地|签约|开展|采取|包括|"
    r"负责人|代表|人员|领导|干部|主任|作为|认为|表示|位列|名列|排名|排在|居于|居全|左右|以上|以下|获批|"
    r"认定|开始|继续|正在|得到|享受|纳入|列入|覆盖|提供|带动|吸纳|实施|累计|新增(?!长)|培育|引进|建设|建成|"
    r"集中|分布|来自|属于|全部|全面|组成|构成|第[\d一二三四五六七八九十百]+[位名]"
)
_RIGHT_NP = re.compile(rf"^(?![和及与或等并、])[{_CJK}A-Za-z][{_CJK}A-Za-z&/·]{{0,23}}")
# Nouns that a count of organisations or projects ends with: the counted phrase stops after the last of them.
_ORG_HEAD = re.compile(
    r"高新区|开发区|园区|企业|公司|机构|银行|医院|学校|高校|大学|平台|中心|孵化器|众创空间|基地|实验室|单位|协会|"
    r"商会|集团|工厂|门店|载体|联盟|研究院|景区|图书馆|项目"
)
# Words after a figure that begin a predicate, not a counted noun: 111人次增至…, 30家占…
_VERB_START = re.compile(rf"^(?:增|降|升|减|达|占|比|较|同比|环比|位|居|排|列|为|是|在|{_VERB.pattern})")
_VERB_HEAD = re.compile(
    r"^(?:具备|具有|拥有|获得|参与|参加|入选|入榜|上榜|入围|参评|符合|新增|实现|完成|通过|承担|开展|认定)"
)
_SCOPE = re.compile(r"^(?:全省|全市|全区|全县|全国|全球|全行业|省|市|区|县)?(?:产业)?(?:园区)?")
_TOTAL = re.compile(r"(?:总量|总数|总额|总和|合计|之和|比重|比例|份额)?(?:的)?$")

MONEY_WORDS = re.compile(
    r"额|收入|资本|资金|资产|投资|产值|总值|GDP|税|利润|营收|融资|基金|贷款|经费|支出|金额|销售|出口|进口|规模|"
    r"市值|补贴|奖励|奖补|财政|预算|成本|费用|价值|工资|薪酬|增加值|估值|资助|拨款|授信|产出"
)
# Indicators that name nothing without the sector before their verb (批发业完成销售额, 重点项目完成投资)
_BARE = re.compile(
    r"销售额|营业额|营业收入|营收|主营业务收入|投资|投资额|产值|总产值|增加值|收入|利润|利润总额|税收|出口额?|进出口额?"
)
_SECTOR = re.compile(r"^(?![该本其此])[\u4e00-\u9fff]{2,12}(?:业|领域|项目|集群|板块)$")
# 属于高技术产业的企业: an industry qualifying a generic head noun stays with it
_TRADE = re.compile(
    r"(?:属于|从事|来自)([\u4e00-\u9fff]{2,10}?(?:产业|行业|领域))$|(上市|挂牌|入驻|落户|在孵|毕业|新注册|新设立)$"
)
_KIND_HEAD = re.compile(r"企业|公司|单位|机构|从业人员|人员|项目")
# 中 after a group noun picks out a part of it (not 中小企业, 制造业中间品, 中心)
_PARTITIVE = re.compile(
    r"(?:(?<=产业)|(?<=行业)|(?<=企业)|(?<=园区)|(?<=新区)|(?<=高新区))中(?![小国心间期等央高型])"
)
_MAX_NAME = 16
_INSIDE = re.compile(r"^(?:内(?!资|需|销|贸|部)|中(?![小国心间期等央高型医药华试]))")
# 等 after these is part of a word (高等院校, 中等职业, 同等条件), not the end of a list of examples
_DENG_WORDS = set("高中平同对相优上次一二三特初均头超何此甲乙丙劣下低")


def tidy(s: str) -> str:
    s = QUOTES.sub("", s)
    return SPACE_NEAR_CJK.sub("", s).strip()


# The same words stripped as often as they repeat, in one regex pass each way.
_LEADING = re.compile(rf"^(?:{_TIME.pattern[1:]}|{_LEAD.pattern[1:]})+")
_TRAILING = re.compile(rf"(?:{_TRAIL.pattern[:-1]}|{_BASE.pattern[:-1]})+$")


def _strip_lead(s: str) -> str:
    return _LEADING.sub("", s, count=1)


def _strip_trail(s: str) -> str:
    return _TRAILING.sub("", s, count=1)


@lru_cache(maxsize=1 << 16)  # the same clauses recur across figures and pages
def clean_name(s: str) -> str:
    """A phrase cut to its indicator: subject, time words, level qualifiers and verbs removed."""
    s = tidy(PAREN.sub("", s))
    s = _strip_trail(s)
    # the object of the first verb: 全省高新区建成研发平台 -> 研发平台 (a later "verb" is often part of
    # the noun: 高企培育库企业)
    m = _VERB.search(s)
    scope = s[: m.start()] if m is not None else ""
    while m is not None and len(s) - m.end() >= 2:
        s = s[m.end() :]
        m = _VERB.match(s)
    if scope and _BARE.fullmatch(s):
        scope = _strip_lead(scope)
        if _SECTOR.search(scope):
            s = scope + s  # 批发业完成销售额 -> 批发业销售额: the sector is part of the indicator
    s = _strip_lead(s)
    # the subject ends at the last zone word: 火炬中心国家高新区综合评价 -> 综合评价
    ends = [z.end() for z in ZONE_WORD.finditer(s)]
    if ends and len(s) - ends[-1] >= 2:
        s = _strip_lead(s[ends[-1] :])
    # 国家高新区内高新技术企业数量 -> 高新技术企业数量 (but 内资企业 keeps its 内)
    s = _INSIDE.sub("", s) if len(s) > 2 else s
    s = LEVEL_FLOOR.sub("", s) if LEVEL_FLOOR.search(s) and len(LEVEL_FLOOR.sub("", s)) >= 2 else s
    s = _strip_trail(s)
    head, _, tail = s.rpartition("的")
    if head and len(tail) >= 2:
        # 美团平台上的骑手 -> 骑手, but 属于高技术产业的企业 -> 高技术产业企业, 上市的企业 -> 上市企业
        trade = _TRADE.search(head)
        s = (trade.group(1) or trade.group(2)) + tail if trade and _KIND_HEAD.fullmatch(tail) else tail
    s = s.lstrip("的")  # 的企业: what was left of 过10亿的企业 after its figure
    head, _, tail = s.rpartition("等")
    if head and len(tail) >= 2 and head[-1] not in _DENG_WORDS:
        s = tail  # 嘉盛电源、北玻股份等高新技术企业 -> 高新技术企业 (not 高等院校)
    if "中" in s:
        part = _PARTITIVE.split(s)[-1]
        if part != s and len(part) >= 2:
            s = part  # 高新技术产业中产值亿元以下企业 -> 产值亿元以下企业
    if _VERB.fullmatch(s):
        return ""  # only a verb was left: 已累计建成超10亿亩 names nothing before the figure
    return s[-_MAX_NAME:]


_OWNED_TOTAL = re.compile(
    r"(?:国家级?|省级?|市级?|试点|首批)?(?:高新区|开发区|经开区|园区)(?:总数|数量|总量)$"
)


def total_of(clause: str) -> str:
    """A bare total with its owner (`目前国家高新区总数已达` -> `国家高新区总数`), or ''."""
    m = _OWNED_TOTAL.search(_strip_trail(tidy(PAREN.sub("", clause))))
    return m.group() if m else ""


_STATED = re.compile(
    r"([\u4e00-\u9fff]{2,20}?)(?:数量|规模|总量)?(?:实现)?(?:翻番|翻一番|倍增|大幅增长|快速增长|持续增长|稳步增长|"
    r"显著增长|不断壮大|持续壮大)[，,]$"
)


def stated_before(before: str) -> str:
    """The indicator of a clause that only states a trend before the figure's own clause
    (`高新技术企业数量翻番，超过8500家` -> `高新技术企业`), or ''."""
    m = _STATED.search(tidy(before[-40:]))
    return clean_name(m.group(1)) if m else ""


def left_clause(left: str) -> str:
    """The clause that ends at a figure (`全省高新区建成省级及以上研发平台`)."""
    return CLAUSE_SPLIT.split(PAREN.sub("", left[-80:]))[-1]


def verb_final(clause: str) -> bool:
    """Whether the words before a count end in a verb or 的/等, so the counted noun follows it."""
    s = tidy(clause)
    s = re.sub(r"(?:将近|接近|大约|约|近|逾|超过|超|不少于|不低于|至少|多达|不足|不到|不超过)$", "", s)
    if not s:
        return True
    if s.endswith(("的", "等", "了")):
        return True
    return bool(re.search(rf"(?:{_VERB.pattern}|是|为|共|再|又|另|达|有)$", s))


def right_name(right: str, org: bool = False) -> str:
    """The counted noun after a figure's unit (`国家及省级高新区,` -> `国家及省级高新区`); ORG for a
    count of organisations (家), which ends at its last organisation noun."""
    right = tidy(right.lstrip())
    right = LEVEL_FLOOR.sub("", right) if right[:12].find("以上") >= 0 else right
    m = _RIGHT_NP.match(right)
    if not m or ("的" not in m.group() and _VERB_START.match(right)):
        return ""  # a predicate follows (111人次增至…); 具备条件的国家高新区 is a noun with its clause
    s = m.group()
    stop = _RIGHT_STOP.search(s)
    if stop is not None:
        s = s[: stop.start()]
    heads = [m.end() for m in _ORG_HEAD.finditer(s)] if org else []
    if heads:
        s = s[: heads[-1]]  # 169家国家高新区综合评价中 -> 国家高新区
    if "的" in s:
        head, _, tail = s.rpartition("的")
        # 13家具备条件的国家高新区 -> 国家高新区; 4家高新区的创新型产业集群 -> 高新区
        s = tail if _VERB_HEAD.match(head) or not head else head.split("的")[0]
    return s[:_MAX_NAME] if len(s) >= 2 else ""


_BECAME = re.compile(r"^(?:成为|入选|获评为?|被评为|被认定为|认定为|跻身|列入|纳入)")


def became(right: str) -> str:
    """What a count became (`成为“千亿俱乐部”成员` -> `千亿俱乐部成员`), or ''."""
    right = tidy(right.lstrip())
    m = _BECAME.match(right)
    return right_name(right[m.end() :]) if m else ""


def share_whole(clause: str) -> str:
    """The Z of `占Z的68.10%`, cut to its indicator (`全省园区研发平台总量` -> `园区研发平台`)."""
    i = clause.rfind("占")
    z = tidy(clause[i + 1 :]) if i >= 0 else ""
    z = re.sub(r"^比", "", z)
    z = _TOTAL.sub("", z)
    z = _SCOPE.sub("", z)
    return z[-_MAX_NAME:] if len(z) >= 2 else ""


def before_share(clause: str) -> str:
    """The indicator before 占 (`高新技术产业增加值占GDP比重` -> `高新技术产业增加值`)."""
    i = clause.find("占")
    return clean_name(clause[:i]) if i > 0 else ""


def split_list(s: str, sep: str = r"[、和及与]") -> list[str]:
    """`高新技术企业、科技型中小企业和瞪羚企业` -> its items."""
    return [clean_name(p) for p in re.split(sep, s) if p]


def list_clause(left: str) -> str:
    """The clause that ends at the first figure of a list, names separated by 、 kept together."""
    return re.split(r"[,，;；:：。!?！？]", PAREN.sub("", left[-80:]))[-1]


def is_money(name: str) -> bool:
    return bool(MONEY_WORDS.search(name))


# A name that cannot be a column name: cut mid-phrase, a clause, or a subject.
_JUNK_END = frozenset("和及与或的等了为是在对把被将而并且从由向以于之其较达占合")
_JUNK_START = re.compile(
    r"^(?:[和及与或的了为是把被将而并且由向于之达则也又还较]|在(?![建孵库线校岗职营册研])|对(?!外)|从(?!业)|"
    r"以(?!上)|其(?!他)|占(?!地)|均(?!值)|都(?!市)|比(?!重|例)|目标|力争|确保|争取|同比|环比|可比)"
)
_JUNK_ANYWHERE = re.compile(r"我区|本区|该区|我市|本市|我省|本省|[，,。；;:：！？、]|(?:19|20)\d\d年|不动摇")
# Words that name a kind of thing or a measure but no indicator on their own.
GENERIC_NAMES = frozenset(
    [
        "数量",
        "总数",
        "总量",
        "总额",
        "规模",
        "合计",
        "累计",
        "企业",
        "项目",
        "单位",
        "产值",
        "收入",
        "金额",
        "资本",
        "资金",
        "增速",
        "增幅",
        "比重",
        "占比",
        "比例",
        "排名",
        "可比",
        "指标",
        "人数",
        "户数",
        "家数",
        "个数",
    ]
)


def name_problem(name: str | None) -> str | None:
    """Why NAME is not a readable indicator name: `junk` (cut mid-phrase, a clause or a subject:
    `天使母基金和`, `目标不动摇`, `比前三季度`), `generic` (a bare head or measure: `数量`, `产值`,
    `企业`), or None when it reads as a name."""
    if not name or len(name) < 2:
        return "junk"
    if name[-1] in _JUNK_END or _JUNK_START.match(name) or _JUNK_ANYWHERE.search(name):
        return "junk"
    if name in GENERIC_NAMES:
        return "generic"
    return None


_HEAD_END = re.compile(rf"(?:{_ORG_HEAD.pattern})$")


def trim_name(name: str) -> str:
    """NAME without the function words left at its end by a cut (`天使母基金和` -> `天使母基金`; a
    `合` only after a head noun: `高新技术企业合` -> `高新技术企业`, not `产教融合`)."""
    while len(name) > 2 and name[-1] in _JUNK_END:
        if name[-1] == "合" and not _HEAD_END.search(name[:-1]):
            break
        name = name[:-1]
    return name
