"""Datasette plugins that `zonecrawl serve` loads (plain Datasette: `--plugins-dir` this folder)."""
