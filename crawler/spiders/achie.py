"""高新院 (achie.org): the 高新区新闻 and 政策解读 columns.

A DedeCMS site: a column's first page is its folder, later pages are `list_<typeid>_<n>.html`
linked by `下一页` in `ul.pagelist`; articles follow DedeCMS's default naming rule
`{typedir}/{Y}/{M}{D}/{aid}.html`; article pages carry `当前位置:主页 > … >` breadcrumbs and a
`来源:… 日期:… 点击:` line.
"""

from crawler.spiders.base import ZoneSpider


class AchieSpider(ZoneSpider):
    name = "achie"
    default_base_url = "http://www.achie.org/"
    list_paths = ("news/gxqxw/", "news/zcjd/")
    article_pattern = r"^/news/(?:gxqxw|zcjd)/\d{4}/\d{4}/\d+\.html$"
    authority = "mirror"  # it reposts other sites' news
    next_xpath = '//*[contains(@class,"pagelist")]//a[normalize-space()="下一页"]/@href'
