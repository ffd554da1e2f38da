"""The zone-site spiders. Each is a few class attributes over `crawler.spiders.base.ZoneSpider`."""
