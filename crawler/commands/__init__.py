"""Scrapy commands of the project (`COMMANDS_MODULE`): `scrapy crawl` with zonecrawl's exit status."""
