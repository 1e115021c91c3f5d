"""Text an officer may type that a spreadsheet would run or refuse, and the check every export passes."""

import io

from openpyxl import load_workbook

FORMULAS = ('=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(A1)", "\t=1+1", "\r=1+1")
CONTROLS = "Thôn\x01 Khe\x07 Giấy"
CONTROLS_KEPT = "Thôn Khe Giấy"
LONG = "Nà" * 16_000  # 32,000 characters, under a cell's 32,767


def formula_free_texts(content: bytes) -> list[str]:
    """Every text cell of an XLSX file, after checking openpyxl reads it and finds no formula anywhere:
    no cell of type formula, and every text that could be read as one is marked quote-prefixed."""
    workbook = load_workbook(io.BytesIO(content))
    texts = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    if cell.value.startswith(("=", "+", "-", "@", "\t", "\r", "\n")):
                        assert cell.quotePrefix, (sheet.title, cell.coordinate, cell.value)
                    texts.append(cell.value)
    return texts
