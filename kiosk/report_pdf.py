"""Paper reports drawn with reportlab (already the receipts' library): a title, tables of
numbers and bar charts from reportlab.graphics.charts, in DejaVu Sans (embedded: the PDF base
fonts have no ệ, ữ or Đ). The kiosk's daily report, the province's and the trace list share it.

Charts are reportlab's own: importing matplotlib costs about a second and 60 MB more in the
bundle, for bars that reportlab draws as vectors (docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from kiosk import messages
from kiosk.assets import assets_dir

FONT = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
# the verdict colours of the window: green, amber, red
SERIES_COLOURS = (
    colors.HexColor("#1b8a3a"),
    colors.HexColor("#d98c00"),
    colors.HexColor("#c62828"),
)


def register_fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        fonts = assets_dir() / "fonts"
        pdfmetrics.registerFont(TTFont(FONT, str(fonts / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(fonts / "DejaVuSans-Bold.ttf")))


def word(key: str, lang: str, **params: object) -> str:
    return messages.text(messages.REPORT_WORDS[key], lang, **params)


class Report:
    """Flowables in order, written once by `save`."""

    def __init__(self, title: str, subtitle: str, wide: bool = False) -> None:
        register_fonts()
        self.pagesize = landscape(A4) if wide else A4
        self.width = self.pagesize[0] - 30 * mm
        self.h1 = ParagraphStyle("h1", fontName=BOLD, fontSize=16, leading=20)
        self.h2 = ParagraphStyle("h2", fontName=BOLD, fontSize=11, leading=15, spaceBefore=8)
        self.body = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12)
        self.parts: list[Flowable] = [
            Paragraph(_escape(title), self.h1),
            Paragraph(_escape(subtitle), self.body),
            Spacer(1, 4 * mm),
        ]

    def heading(self, text: str) -> None:
        self.parts.append(Paragraph(_escape(text), self.h2))

    def line(self, text: str) -> None:
        self.parts.append(Paragraph(_escape(text), self.body))

    def table(self, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        data = [[_cell(h, self.body, bold=True) for h in header]] + [
            [_cell(v, self.body) for v in r] for r in rows
        ]
        t = Table(data, repeatRows=1, hAlign="LEFT")
        t.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        self.parts.append(t)

    def bar_chart(
        self,
        categories: Sequence[str],
        series: Sequence[tuple[str, Sequence[int]]],
        height: float = 60 * mm,
        stacked: bool = True,
    ) -> None:
        """Bars per category, one colour a series (stacked: verdicts add up to the scans)."""
        width = self.width
        d = Drawing(width, height + 12 * mm)
        chart = VerticalBarChart()
        chart.x, chart.y = 12 * mm, 10 * mm
        chart.width, chart.height = width - 50 * mm, height - 4 * mm
        chart.data = [list(values) or [0] for _name, values in series]
        chart.categoryAxis.categoryNames = list(categories)
        chart.categoryAxis.labels.fontName = FONT
        chart.categoryAxis.labels.fontSize = 7
        chart.valueAxis.labels.fontName = FONT
        chart.valueAxis.labels.fontSize = 7
        chart.valueAxis.valueMin = 0
        top = (
            max((sum(col) for col in zip(*chart.data, strict=True)), default=0)
            if stacked
            else max((max(v) for v in chart.data), default=0)
        )
        chart.valueAxis.valueMax = max(top, 1) * 1.1
        chart.valueAxis.valueStep = _step(max(top, 1))
        if stacked:
            chart.categoryAxis.style = "stacked"
        for i in range(len(series)):
            chart.bars[i].fillColor = SERIES_COLOURS[i % len(SERIES_COLOURS)]
            chart.bars[i].strokeColor = None
        d.add(chart)
        legend = Legend()
        legend.x, legend.y = width - 34 * mm, height
        legend.fontName = FONT
        legend.fontSize = 8
        legend.colorNamePairs = [
            (SERIES_COLOURS[i % len(SERIES_COLOURS)], name) for i, (name, _v) in enumerate(series)
        ]
        d.add(legend)
        self.parts.append(d)

    def save(self, out: Path) -> Path:
        out.parent.mkdir(parents=True, exist_ok=True)
        doc = SimpleDocTemplate(
            str(out),
            pagesize=self.pagesize,
            leftMargin=15 * mm,
            rightMargin=15 * mm,
            topMargin=15 * mm,
            bottomMargin=15 * mm,
        )
        doc.build(self.parts)
        return out


def _step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 50000, 100000):
        if top / step <= 8:
            return step
    return max(1, top // 8)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cell(value: object, style: ParagraphStyle, bold: bool = False) -> Paragraph:
    text = _escape("" if value is None else str(value))
    return Paragraph(text, ParagraphStyle("c", parent=style, fontName=BOLD if bold else FONT))
