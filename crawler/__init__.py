"""The I/O side of zonecrawl: Scrapy spiders, the SQLite store and the `zonecrawl` CLI."""
