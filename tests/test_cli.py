"""The CLI contract: documents and metrics out, one-line messages for unreadable input."""

from __future__ import annotations

import json

from click.testing import CliRunner

from crawler.cli import cli


def test_extract_reports_empty_file_without_traceback(tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    result = CliRunner().invoke(cli, ["extract", str(empty)])
    assert result.exit_code == 1
    assert "empty" in result.output
    assert "Traceback" not in result.output


def test_extract_directory_means_every_file(tmp_path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("标题\n2021年，高新区新增企业10家。\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(tmp_path), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    docs = [json.loads(line)["doc"] for line in result.output.splitlines()]
    assert docs == ["a", "b"]
