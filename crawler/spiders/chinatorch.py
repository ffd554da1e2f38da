"""科技部火炬中心 (chinatorch.gov.cn): its 高新区 work news, notices and statistics (统计数据,
whose pages are indicator tables and whose notices link .xlsx and PDF attachments).

Article pages are `/<column>/<sub-column>/<YYYYMM>/<32 hex digits>.shtml` (the body in
`#allStyleDIV`, with `ArticleTitle` and `PubDate` meta tags); TRS-style `t<YYYYMMDD>_<id>.html`
names are accepted too. A column is `index.shtml`, then `index_1.shtml`, `index_2.shtml` … for
pages 2, 3 …, as government portals number them; the page count is only in the script call
`createPageHTML(<count>, <current>, "index", "shtml")`, so it bounds the pagination.
"""

import re

from scrapy.http import Response

from crawler.spiders.base import SiteRules, ZoneSpider

_PAGE_COUNT = re.compile(r"createPageHTML\(\s*(\d+)\s*,")


class ChinatorchSpider(ZoneSpider):
    name = "chinatorch"
    default_base_url = "http://www.chinatorch.gov.cn/"
    list_paths = ("gxq/gzdt/index.shtml", "gxq/tzgg/index.shtml", "gxq/tjsj/index.shtml")
    article_pattern = r"^/gxq/(?:gzdt|tzgg|tjsj)/\d{6}/(?:[0-9a-f]{32}\.shtml|t\d{8}_\d+\.html)$"
    page_template = "index_{i}.shtml"

    def next_page(self, response: Response, rules: SiteRules, page: int, had_links: bool) -> str | None:
        m = _PAGE_COUNT.search(response.text)
        if m and page >= int(m[1]):
            return None
        return super().next_page(response, rules, page, had_links)
