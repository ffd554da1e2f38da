"""Pure extraction functions: page bytes or text in, records out.

Nothing here touches the network, a database or Scrapy, so every function can be used on its own
and tested on a fixture file.
"""
