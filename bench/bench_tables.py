"""Attachment reading: the time to read a 1 MB .xlsx and a 20-page PDF bulletin into a document and
its table metrics (`extractors.attachments` then `extract_metrics`).

Both files are written first into a temporary folder (openpyxl and reportlab, the `dev` extra),
with indicator tables like the statistical bulletins zones publish; the best of REPEATS is kept.

usage: python bench/bench_tables.py [REPEATS]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors.attachments import read_attachment  # noqa: E402
from extractors.metrics import extract_metrics  # noqa: E402

XLSX_BYTES = 1_000_000
PDF_PAGES = 20
ZONES = [
    "长沙高新区",
    "株洲高新区",
    "湘潭高新区",
    "衡阳高新区",
    "益阳高新区",
    "郴州高新区",
    "常德高新区",
    "怀化高新区",
]
INDICATORS = [
    "营业收入（亿元）",
    "增速（%）",
    "工业总产值（亿元）",
    "增速（%）",
    "高新技术企业（家）",
    "出口总额（亿元）",
]


def write_xlsx(path: Path) -> None:
    """A workbook of zone × indicator sheets, one per month and year, until it weighs 1 MB."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    n = 0
    while True:
        year, month = 2010 + n // 12, n % 12 + 1
        ws = book.create_sheet(f"{year}-{month:02d}")
        ws.append([f"{year}年1-{month}月湖南省高新区主要经济指标"])
        ws.append(["区域", *INDICATORS])
        for k in range(40):
            zone = ZONES[k % len(ZONES)] if k < len(ZONES) else f"第{k}园区"
            ws.append([zone, *(round(100 + k * 3.7 + j * 1.3 + n, 2) for j in range(len(INDICATORS)))])
        n += 1
        if n % 25 == 0:
            book.save(path)
            if path.stat().st_size >= XLSX_BYTES:
                return


def write_pdf(path: Path) -> None:
    """A bulletin of PDF_PAGES pages, each a paragraph and an indicator table."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=10, leading=14)
    story = []
    for page in range(PDF_PAGES):
        story.append(Paragraph(f"2023年1-9月湖南省高新区主要经济指标（{page + 1}）", style))
        story.append(
            Paragraph("全省高新区经济运行总体平稳，营业收入同比增长8.5%，工业总产值增长6.2%。" * 3, style)
        )
        cells = [["区域", *INDICATORS]] + [
            [z, *(f"{100 + i * 3.7 + j + page:.1f}" for j in range(len(INDICATORS)))]
            for i, z in enumerate(ZONES)
        ]
        table = Table(cells)
        table.setStyle(
            TableStyle(
                [("FONT", (0, 0), (-1, -1), "STSong-Light", 8), ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]
            )
        )
        story += [table, PageBreak()]
    SimpleDocTemplate(str(path), pagesize=A4, invariant=1).build(story)


def _best(path: Path, repeats: int) -> tuple[float, int]:
    data = path.read_bytes()
    best, n = float("inf"), 0
    for _ in range(repeats):
        t0 = time.perf_counter()
        n = len(extract_metrics(read_attachment(data, doc=path.stem, name=path.name)))
        best = min(best, time.perf_counter() - t0)
    return best, n


def main(repeats: int = 3) -> None:
    try:
        import openpyxl  # noqa: F401
        import reportlab  # noqa: F401
    except ImportError:
        raise SystemExit(
            "bench_tables: openpyxl and reportlab are needed (pip install -e '.[dev]')"
        ) from None
    with tempfile.TemporaryDirectory() as tmp:
        xlsx, pdf = Path(tmp) / "bulletin.xlsx", Path(tmp) / "bulletin.pdf"
        write_xlsx(xlsx)
        write_pdf(pdf)
        for path, what in (
            (xlsx, f"{xlsx.stat().st_size / 1e6:.1f} MB xlsx"),
            (pdf, f"{PDF_PAGES}-page PDF"),
        ):
            seconds, n = _best(path, repeats)
            print(f"tables: read a {what} in {seconds:.2f} s ({n} table metrics)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
