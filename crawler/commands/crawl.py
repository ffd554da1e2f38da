"""`scrapy crawl SPIDER` from the project folder, exiting as `zonecrawl crawl` does: 0 when the run
went through (robots.txt and 404 skips included), 1 on failures (errors, a site where no article
matched, a run stopped early), the verdict `crawler.runlog.RunLog` gives the spider at its close."""

from __future__ import annotations

import argparse

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError


class Command(ScrapyCrawl):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give one spider: scrapy crawl SPIDER")
        assert self.crawler_process
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        verdict = getattr(crawler, "zonecrawl_verdict", None)  # none when the spider never opened
        if self.crawler_process.bootstrap_failed or verdict is None or not verdict.ok:
            self.exitcode = 1
