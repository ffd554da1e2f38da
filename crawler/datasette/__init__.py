"""Datasette metadata for `zonecrawl serve`: facets, labels and canned queries (metadata.yaml)."""
