"""The baseline of bench_export.py: a bare reportlab script doing the same page work as our notice PDF.

It registers the same font files with reportlab's own `TTFont`, and draws the same lines — each run of
text in the font our export sets it in, at the same size, on the same pages, page numbers included — with
`Canvas.drawString`, then saves with the same compression. No layout, no font search, no database: what
any program that prints this notice with reportlab must at least do.
Run: python benchmarks/bare_notice_pdf.py PAGES.json OUT.pdf (bench_export.py writes PAGES.json)
"""
import json
import sys

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas


def main() -> None:
    job = json.load(open(sys.argv[1], encoding="utf-8"))
    for key, (path, index) in job["fonts"].items():
        pdfmetrics.registerFont(TTFont(key, path, subfontIndex=index))
    c = Canvas(sys.argv[2], pagesize=A4, pageCompression=1)
    for number, page in enumerate(job["pages"], 1):
        for x, y, runs in page:
            for key, size, text in runs:
                c.setFont(key, size)
                c.drawString(x, y, text)
                x += pdfmetrics.stringWidth(text, key, size)
        c.setFont(job["pagenum"], 14)
        c.drawString(400, 60, f"\u2014 {number} \u2014")
        c.showPage()
    c.save()


if __name__ == "__main__":
    main()
