"""A small hand-made dataset: four documents from three kinds of site about two zones and a
province's zones, with metric records written out by hand (indicator, basis and period set), so
that the facts, series and exports can be checked without the extractors' vocabulary.

What the facts of this data are, as a researcher would read them off the pages:

- 长沙高新区 (changsha), 高新技术企业 at the end of 2022: 2168 (the official site and the
  association), 2100 (a mirror): consensus 2168, a conflict; net change in 2022: +312;
- 长沙高新区 高新技术企业 in 2021: 1856 at the end of the year (official), 1850 for the year (mirror);
- 长沙高新区 营业收入: 3500亿元 in 2021, 4000亿元 in 2022, growth 12.5 % in 2022;
- 株洲高新区 (zhuzhou) 高新技术企业 at the end of 2022: 1000; 湖南省高新区 in 2022: 12000.
"""

from __future__ import annotations

import hashlib

from crawler.store import Store, document_id
from extractors.records import Document

CHANGSHA = {"subject": "长沙高新区", "zone_id": "changsha"}
ZHUZHOU = {"subject": "株洲高新区", "zone_id": "zhuzhou"}
HUNAN = {"subject": "湖南省高新区", "zone_id": None}
HTE = {"metric": "高新技术企业", "indicator": "high_tech_enterprises", "kind": "level", "basis": "stock"}
REVENUE = {"metric": "营业收入", "indicator": "revenue", "kind": "level", "basis": "stock"}
END_2021 = {"period": "2021", "period_start": None, "period_end": "2021-12-31", "period_type": "as_of"}
END_2022 = {"period": "2022", "period_start": None, "period_end": "2022-12-31", "period_type": "as_of"}
YEAR_2021 = {
    "period": "2021",
    "period_start": "2021-01-01",
    "period_end": "2021-12-31",
    "period_type": "year",
}
YEAR_2022 = {
    "period": "2022",
    "period_start": "2022-01-01",
    "period_end": "2022-12-31",
    "period_type": "year",
}

# url, site, authority, date, title, body, [(figure text, value, unit, fields)]
PAGES = [
    (
        "http://www.cshtz.gov.cn/news/2023/0110.html", "cshtz.gov.cn", "official", "2023-01-10",
        "长沙高新区2022年经济运行情况",
        "截至2022年底，长沙高新区有效期内高新技术企业总数达2168家，较上年净增312家。"
        "2022年，长沙高新区实现营业收入4000亿元，同比增长12.5%。",
        [
            ("2168家", 2168, "家", {**CHANGSHA, **HTE, **END_2022}),
            ("312家", 312, "家", {**CHANGSHA, **HTE, "kind": "change", "basis": "net", **YEAR_2022}),
            ("4000亿元", 400_000_000_000, "元", {**CHANGSHA, **REVENUE, **YEAR_2022}),
            ("12.5%", 12.5, "%", {**CHANGSHA, **REVENUE, "kind": "growth", **YEAR_2022}),
        ],
    ),
    (
        "http://www.hnkfqxh.com/news/2023/0201.html", "hnkfqxh.com", "association", "2023-02-01",
        "湖南省高新区2022年创新发展综述",
        "2022年湖南省高新区高新技术企业达12000家。截至2022年底，长沙高新区高新技术企业2168家，"
        "株洲高新区高新技术企业1000家。",
        [
            ("12000家", 12000, "家", {**HUNAN, **HTE, **YEAR_2022}),
            ("2168家", 2168, "家", {**CHANGSHA, **HTE, **END_2022}),
            ("1000家", 1000, "家", {**ZHUZHOU, **HTE, **END_2022}),
        ],
    ),
    (
        "http://mirror.example.cn/p/88.html", "mirror.example.cn", "mirror", "2023-03-05",
        "长沙高新区高新技术企业突破2100家",
        "2022年末，长沙高新区高新技术企业2100家。2021年，长沙高新区高新技术企业1850家。",
        [
            ("2100家", 2100, "家", {**CHANGSHA, **HTE, **END_2022}),
            ("1850家", 1850, "家", {**CHANGSHA, **HTE, **YEAR_2021}),
        ],
    ),
    (
        "http://www.cshtz.gov.cn/news/2022/0115.html", "cshtz.gov.cn", "official", "2022-01-15",
        "麓谷2021年成绩单",
        "截至2021年底，长沙高新区高新技术企业1856家。2021年，长沙高新区实现营业收入3500亿元。",
        [
            ("1856家", 1856, "家", {**CHANGSHA, **HTE, **END_2021}),
            ("3500亿元", 350_000_000_000, "元", {**CHANGSHA, **REVENUE, **YEAR_2021}),
        ],
    ),
]  # fmt: skip


def _sentence(body: str, start: int) -> str:
    """The sentence around offset START: from after the previous 。 to the next one."""
    end = body.find("。", start)
    return body[body.rfind("。", 0, start) + 1 : end + 1 if end >= 0 else len(body)]


def metrics_of(body: str, figures: list) -> list[dict]:
    """Metric records for FIGURES of BODY, with the offsets and sentence of each figure's text."""
    out = []
    for text, value, unit, fields in figures:
        start = body.index(text)
        out.append(
            {
                **fields,
                "value": value,
                "unit": unit,
                "approx": False,
                "bound": None,
                "text": text,
                "sentence": _sentence(body, start),
                "start": start,
                "end": start + len(text),
            }
        )
    return out


def fill(store: Store, run_id: int | None = None, pages: list | None = None) -> list[str]:
    """Save the hand-made PAGES (all of them by default) into STORE, in a run of their own unless
    RUN_ID; returns their document ids."""
    pages = PAGES if pages is None else pages
    run = run_id if run_id is not None else store.start_run(["handmade"], {})
    ids = []
    for url, site, authority, date, title, body, figures in pages:
        doc = Document(doc=document_id(url), url=url, site=site, title=title, date=date, body=body)
        ids.append(
            store.save_page(
                url=url,
                status=200,
                headers={},
                body_hash=hashlib.sha1(body.encode("utf-8")).hexdigest(),
                fetched_at="2026-01-02T03:04:05+00:00",
                document=doc,
                metrics=metrics_of(body, figures),
                run_id=run,
                spider="handmade",
                authority=authority,
            )
        )
    if run_id is None:
        store.finish_run(run, {"pages": len(pages)}, "finished")
    return ids


def all_metrics() -> list[dict]:
    """Every hand-made metric record, with its document's id as `doc`."""
    return [
        {"doc": document_id(url), **m}
        for url, _, _, _, _, body, figures in PAGES
        for m in metrics_of(body, figures)
    ]
