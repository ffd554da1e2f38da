"""湖南省开发区协会 (Hunan development-zone association): its 园区快讯 (PARK EXPRESS) column.

List pages are `news/list-<column>.html`, later pages `news/list-<column>-<n>.html` linked by
`下一页` in `div.pages`; articles are `news/show-<id>.html` with a `发布时间:…发布人:…浏览:` line,
and every page ends with the association's footer and charter (dropped as recurring blocks).
"""

from crawler.spiders.base import ZoneSpider


class HnkfqSpider(ZoneSpider):
    name = "hnkfq"
    default_base_url = "http://www.hnkfq.org.cn/"
    authority = "association"  # the Hunan development-zone association
    list_paths = ("news/list-12.html",)
    article_pattern = r"^/news/show-\d+\.html$"
    next_xpath = '//div[contains(@class,"pages")]//a[normalize-space()="下一页"]/@href'
