"""An official report form (biểu mẫu báo cáo) as a PDF, drawn by ReportLab from a :class:`FilledForm`.

The page is the paper form's: A4 landscape (A3 for a wide form); the issuing unit at the top left and the national motto at
the top right; the title and the heading's lines centred; the unit of measure at the right; the table,
its header (column groups spanning their columns, then the numbers row) repeated at the top of every
page; the signature block; the page number ("2 / 3") at the foot of each page.

Figures are written in the reader's convention by the one helper every page uses
(:func:`vungcao.engine.text.format_number` and ``format_percent``): "1.500.000" and "30,5%" in a
Vietnamese form, "1,500,000" and "30.5%" in an English one. They are the values the XLSX holds, taken
from the same filled form.

Words (a target, a status) wrap within their column; a heading row (an objective) and the note of a form
without rows run across the table.

Vietnamese needs a Unicode font: DejaVu Sans (regular and bold) ships in the package
(``common/fonts``, with its licence) and is registered from there, never looked up on the system, so
the PDF is the same on every server and offline.
"""

import io
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A3, A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from vungcao.engine.report_forms import ColumnKind, FilledForm, header_cells

FONTS = Path(__file__).parent / "fonts"
REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"
PAGES = {"A4": landscape(A4), "A3": landscape(A3)}
MARGIN = 12 * mm
ORDER_WIDTH, UNIT_WIDTH = 10 * mm, 48 * mm
# A form of many columns (the twelve indicators) is set smaller, so that a header's longest word fits
# its column rather than being split.
MANY_COLUMNS, NARROW_UNIT_WIDTH = 10, 38 * mm
FIGURE_SIZE, CELL_PADDING = 7.5, 3
HEADER_COLOUR = colors.HexColor("#DDEBE4")
GRID_COLOUR = colors.HexColor("#888888")


@cache
def _register_fonts() -> None:
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONTS / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONTS / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)


def _style(
    name: str, *, size: float = 8, bold: bool = False, align: int = TA_CENTER, indent: float = 0
) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName=BOLD if bold else REGULAR,
        fontSize=size,
        leading=size * 1.25,
        alignment=align,
        leftIndent=indent,
    )


def _paragraphs(lines: list[str], style: ParagraphStyle, first: ParagraphStyle | None = None) -> list[Any]:
    return [
        Paragraph(escape(line), first if first and index == 0 else style) for index, line in enumerate(lines)
    ]


class _NumberedCanvas(Canvas):  # type: ignore[misc]  # ReportLab has no type hints
    """A canvas that writes "page / pages" at the foot of every page once it knows how many there are."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(REGULAR, 8)
            self.drawCentredString(self._pagesize[0] / 2, 7 * mm, f"{self._pageNumber} / {len(self._pages)}")
            super().showPage()
        super().save()


def _heading(form: FilledForm, width: float) -> list[Flowable]:
    frame = form.definition.frame
    bold, plain = _style("bold", size=9, bold=True), _style("plain", size=9)
    top = Table(
        [
            [
                _paragraphs(list(form.issuer), bold),
                _paragraphs([form.text(label) for label in frame.motto], plain, first=bold),
            ]
        ],
        colWidths=[width * 0.45, width * 0.55],
    )
    top.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [
        top,
        Spacer(1, 5 * mm),
        Paragraph(escape(form.title), _style("title", size=12, bold=True)),
        *_paragraphs(list(form.heading), _style("heading", size=8.5)),
        Spacer(1, 2 * mm),
        Paragraph(escape(form.text(form.definition.unit_of_measure)), _style("unit", align=TA_RIGHT)),
        Spacer(1, 1 * mm),
    ]


def _table(form: FilledForm, width: float) -> Table:
    leaves = form.definition.leaves()
    cells, header_rows = header_cells(form.definition, form.language)
    columns = len(leaves) + 2
    many = len(leaves) > MANY_COLUMNS
    header_style = _style("header", size=6 if many else 7, bold=True)
    unit_width = NARROW_UNIT_WIDTH if many and form.definition.paper == "A4" else UNIT_WIDTH
    value_width = (width - ORDER_WIDTH - unit_width) / max(1, len(leaves))
    body = [
        (row, [form.written(leaf, value) for leaf, value in zip(leaves, row.values, strict=True)])
        if row.values
        else (row, [""] * len(leaves))  # a heading, or the note of a form without rows
        for row in form.body()
    ]
    words = [index for index, leaf in enumerate(leaves) if leaf.kind == ColumnKind.TEXT]
    figures = [text for _row, written in body for index, text in enumerate(written) if index not in words]
    size = _figure_size(figures, value_width)
    grid: list[list[Any]] = [[""] * columns for _ in range(header_rows)]
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), REGULAR, 7.5),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID_COLOUR),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_COLOUR),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, header_rows), (0, -1), "CENTER"),
        ("ALIGN", (2, header_rows), (-1, -1), "RIGHT"),
    ]
    for cell in cells:
        grid[cell.row][cell.column] = Paragraph(escape(cell.text), header_style)
        if cell.rows > 1 or cell.columns > 1:
            end = (cell.column + cell.columns - 1, cell.row + cell.rows - 1)
            commands.append(("SPAN", (cell.column, cell.row), end))
    label_styles = {
        (level, bold): _style(f"label-{level}-{bold}", size=7.5, bold=bold, align=TA_LEFT, indent=level * 8)
        for level in range(3)
        for bold in (False, True)
    }
    words_style = _style("words", size=size, align=TA_LEFT)
    for (order, label, values, level), written in body:
        bold = not order or (level == 0 and form.has_levels)
        figures_and_words = [
            Paragraph(escape(text), words_style) if index in words else text
            for index, text in enumerate(written)
        ]
        label_cell = Paragraph(escape(label), label_styles[(min(level, 2), bold)])
        grid.append([order, label_cell, *figures_and_words])
        row = len(grid) - 1
        if not values:
            commands.append(("SPAN", (1, row), (-1, row)))
        commands.append(("FONT", (2, row), (-1, row), BOLD if bold else REGULAR, size))
        if bold:
            commands.append(("FONT", (0, row), (0, row), BOLD, 7.5))
    table = Table(
        grid, colWidths=[ORDER_WIDTH, unit_width] + [value_width] * len(leaves), repeatRows=header_rows
    )
    table.setStyle(TableStyle(commands))
    return table


def _figure_size(figures: list[str], column_width: float) -> float:
    """The size the figures are set in: :data:`FIGURE_SIZE`, or smaller where the widest figure (in bold,
    as the total row sets it) would not fit its column, so that no figure runs into the next."""
    widest = max((stringWidth(text, BOLD, 1) for text in figures), default=0)
    room = column_width - 2 * CELL_PADDING
    return FIGURE_SIZE if widest * FIGURE_SIZE <= room else round(room / widest, 2)


def _signatures(form: FilledForm, width: float) -> Table:
    frame = form.definition.frame
    bold, plain = _style("sign-bold", size=9, bold=True), _style("sign", size=8.5)
    left = _paragraphs([form.text(label) for label in frame.preparer], plain, first=bold)
    right = [Paragraph(escape(form.text(frame.date_line)), plain)]
    last = len(form.approver) - 1
    right += [
        Paragraph(escape(line), plain if index == last else bold) for index, line in enumerate(form.approver)
    ]
    table = Table([[left, right]], colWidths=[width * 0.45, width * 0.55])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def form_pdf(form: FilledForm) -> bytes:
    """The PDF file of ``form``, laid out as the module says."""
    _register_fonts()
    stream = io.BytesIO()
    page = PAGES[form.definition.paper]
    document = SimpleDocTemplate(
        stream,
        pagesize=page,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=form.title,
        author=form.issuer[-1] if form.issuer else "",
    )
    width = page[0] - 2 * MARGIN
    story = [*_heading(form, width), _table(form, width), Spacer(1, 6 * mm), _signatures(form, width)]
    document.build(story, canvasmaker=_NumberedCanvas)
    return stream.getvalue()
