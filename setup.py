"""Kept for `scrapyd-deploy`, which builds the project egg with `python setup.py bdist_egg`; all the
configuration (packages, data files, the `scrapy` settings entry point) is in pyproject.toml."""

from setuptools import setup

setup()
