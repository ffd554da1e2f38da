"""The CLI contract: documents and metrics out, one-line messages for unreadable input."""

from __future__ import annotations

import json

import pytest
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


PARAGRAPH = "2022年，青岛高新区坚持创新驱动发展，全区高新技术企业达到4399家，同比增长20.32%。"
PAGE = (
    "<html><head><meta charset='utf-8'><title>高新区高新技术企业突破4000家_高新区</title></head><body>"
    "<h1>高新区高新技术企业突破4000家</h1><div class='info'>发布时间：2022-12-22</div>"
    f"<div class='content'>{f'<p>{PARAGRAPH}</p>' * 6}</div></body></html>"
)


def _extract(*paths):
    result = CliRunner().invoke(cli, ["extract", *map(str, paths), "--format", "jsonl"])
    # An exception other than the exit status would be a traceback for the user.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def _docs(result) -> list[dict]:
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        (
            "report.pdf",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n" + bytes(range(256)) * 4,
            "PDF",
        ),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)) * 4, "JPEG"),
        ("blob.html", bytes(range(256)) * 16, "binary"),
        ("blank.html", b"  \n\t \n", "white space"),
    ],
)
def test_input_without_a_page_gets_one_line_and_exit_1(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    result = _extract(path)
    assert result.exit_code == 1
    assert _docs(result) == []
    assert result.stderr.strip().count("\n") == 0
    assert str(path) in result.stderr and reason in result.stderr


def test_damaged_pages_give_flagged_documents_and_exit_0(tmp_path):
    data = PAGE.encode()
    (tmp_path / "truncated.html").write_bytes(data[: len(data) * 2 // 3])
    (tmp_path / "utf16.html").write_bytes(PAGE.replace("utf-8", "utf-16").encode("utf-16-le"))
    (tmp_path / "big5.html").write_bytes(
        "<html><head><title>園區企業獲獎</title></head><body><h1>園區企業獲獎</h1>"
        "<p>本園區企業在今年的創新大賽中獲得一等獎，共有十二家企業參加了比賽。</p></body></html>".encode(
            "big5"
        )
    )
    deep = "<html><body>" + "<div><font>" * 3000 + f"<p>{PARAGRAPH}</p>" + "</body></html>"
    (tmp_path / "deep.html").write_bytes(deep.encode())
    result = _extract(tmp_path)
    assert result.exit_code == 0, result.output
    docs = {d["doc"]: d for d in _docs(result)}
    assert set(docs) == {"truncated", "utf16", "big5", "deep"}
    assert "html_truncated" in docs["truncated"]["flags"] and docs["truncated"]["body"].startswith(PARAGRAPH)
    assert "unusual_encoding" in docs["utf16"]["flags"] and PARAGRAPH in docs["utf16"]["body"]
    # Big5 is read, flagged, and its text made simplified.
    assert "unusual_encoding" in docs["big5"]["flags"] and "本园区企业" in docs["big5"]["body"]
    assert "markup_damaged" in docs["deep"]["flags"] and PARAGRAPH in docs["deep"]["body"]


def test_a_50_mb_page_is_read_capped_and_flagged(tmp_path):
    path = tmp_path / "huge.html"
    chunk = f"<p>{PARAGRAPH}</p>\n".encode() * 1000
    with path.open("wb") as f:
        f.write(PAGE.split("<div class='content'>")[0].encode() + b"<div class='content'>")
        while f.tell() < 50_000_000:
            f.write(chunk)
    result = _extract(path)
    assert result.exit_code == 0
    (doc,) = _docs(result)
    assert "input_truncated" in doc["flags"]
    assert doc["title"] == "高新区高新技术企业突破4000家" and doc["body"].startswith(PARAGRAPH)


def test_a_bad_file_among_good_ones_is_reported_and_the_rest_printed(tmp_path):
    (tmp_path / "a.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.4\n")
    result = _extract(tmp_path / "a.html", tmp_path / "b.pdf", tmp_path / "missing.html")
    assert [d["doc"] for d in _docs(result)] == ["a"]
    assert result.stderr.count("\n") == 2 and "b.pdf" in result.stderr and "missing.html" in result.stderr
    assert result.exit_code == 1


def test_an_extractor_bug_on_one_page_is_one_line_and_the_others_still_come_out(tmp_path, monkeypatch):
    import extractors.metrics

    good, bad = tmp_path / "a.txt", tmp_path / "b.txt"
    good.write_text("标题\n2021年，高新区新增企业10家。\n", encoding="utf-8")
    bad.write_text("标题\n2021年，高新区新增企业20家。\n", encoding="utf-8")
    real = extractors.metrics.extract_metrics

    def flaky(doc):
        if doc.doc == "b":
            raise RuntimeError("boom")
        return real(doc)

    monkeypatch.setattr(extractors.metrics, "extract_metrics", flaky)
    result = CliRunner().invoke(cli, ["metrics", str(good), str(bad), "--format", "jsonl"])
    assert result.exit_code == 1
    assert [json.loads(line)["value"] for line in result.stdout.splitlines()] == [10]
    assert result.stderr.strip().splitlines() == [
        f"zonecrawl: {bad}: internal error, please report it: RuntimeError: boom"
    ]
    assert "Traceback" not in result.output


def test_the_table_format_prints_the_readable_files_figures_when_one_fails(tmp_path):
    good, empty = tmp_path / "a.txt", tmp_path / "b.html"
    good.write_text("标题\n2021年，高新区新增企业10家。\n", encoding="utf-8")
    empty.write_bytes(b"")
    result = CliRunner().invoke(cli, ["metrics", str(good), str(empty)])
    assert result.exit_code == 1
    assert "10" in result.stdout and "企业" in result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "b.html" in lines[0] and "Traceback" not in result.output
