"""A filled form as a PDF and as an XLSX: the same values, the header on every page, text kept as text."""

import io

from openpyxl import load_workbook
from pypdf import PdfReader

from vungcao.common.report_form_pdf import form_pdf
from vungcao.common.report_form_workbook import form_workbook
from vungcao.engine.report_forms import FilledForm, FormRow
from vungcao.registry.selectors.report_forms import form_definitions

ROWS = tuple(
    FormRow(f"Thôn {number}", {"households": 1000 + number, "poor": number}) for number in range(1, 81)
)


def words(page) -> str:
    """A page's text with its words separated by single spaces (cells are extracted a line each)."""
    return " ".join(page.extract_text().split())


def filled(rows: tuple[FormRow, ...] = ROWS, language: str = "vi") -> FilledForm:
    return FilledForm(
        form_definitions()["official-results"],
        language,
        ("ỦY BAN NHÂN DÂN", "XÃ BA CHẼ"),
        ("Năm 2025",),
        ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "(Ký, ghi rõ họ tên, đóng dấu)"),
        rows,
    )


def test_a_long_form_repeats_its_header_and_numbers_every_page() -> None:
    """Given 80 villages, the PDF runs over several A4 landscape pages, each page of the table with the
    header and the numbers row, every page with "page / pages"; the total row (3.240 poor of 83.240)
    closes the table and the signatures follow it."""
    pages = PdfReader(io.BytesIO(form_pdf(filled()))).pages
    assert len(pages) >= 2
    for number, page in enumerate(pages, 1):
        text = words(page)
        assert f"{number} / {len(pages)}" in text
        if "Thôn" in text:
            assert "Tổng số hộ dân cư" in text
            assert "3 = 2/1 × 100" in text
        assert (round(page.mediabox.width), round(page.mediabox.height)) == (842, 595)  # A4 landscape
    text = " ".join(words(page) for page in pages)
    assert sum("Tổng số hộ dân cư" in words(page) for page in pages) >= 2
    assert "Thôn 80 1.080 80 7,4% 0 0,0% Tổng cộng 83.240 3.240 3,9% 0 0,0%" in text
    assert text.index("Tổng cộng") < text.index("Người lập biểu")


def test_the_xlsx_holds_the_pdf_values_as_numbers_and_names_as_text() -> None:
    """A village named like a formula stays text; the counts are the PDF's, as numbers."""
    rows = (FormRow('=HYPERLINK("x")', {"households": 1_500_000, "poor": 457_500}),)
    sheet = load_workbook(io.BytesIO(form_workbook(filled(rows)))).active
    body = next(row for row in sheet.iter_rows() if row[0].value == 1)
    assert body[1].value == '=HYPERLINK("x")'
    assert body[1].data_type == "s"
    assert [cell.value for cell in body[2:5]] == [1_500_000, 457_500, 0.305]
    text = words(PdfReader(io.BytesIO(form_pdf(filled(rows)))).pages[0])
    assert "1.500.000 457.500 30,5%" in text
    english = words(PdfReader(io.BytesIO(form_pdf(filled(rows, "en")))).pages[0])
    assert "1,500,000 457,500 30.5%" in english
