"""The one report writer: a heading (title, unit, period, who and when), headers in the reader's
language, cells typed for Excel, a totals row whose rates are recomputed, a frozen header and a print
setup; and what someone typed is never a formula."""

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import translation

from tests.common.hostile import CONTROLS, CONTROLS_KEPT, FORMULAS, formula_free_texts
from tests.common.reports import read_report
from vungcao.accounts.models import User
from vungcao.common.report_workbooks import (
    TOTAL,
    Column,
    Heading,
    Kind,
    ReportWorkbook,
    Total,
    exported_by,
    sheet_name,
)

EXPORTED_AT = datetime.datetime(2026, 3, 9, 1, 5, tzinfo=datetime.UTC)  # 08:05 in Việt Nam
HEADING = Heading(
    title="Vốn chương trình theo đơn vị",
    unit="Tỉnh Quảng Ninh",
    exported_by="Nguyễn Thị Lan (quangninh)",
    period="2021–2025",
    notes=("Hợp phần: 1 — Hỗ trợ đầu tư",),
    exported_at=EXPORTED_AT,
)
MONEY = [
    Column("code", "Mã", Kind.CODE),
    Column("name", "Tên"),
    Column("allocated", "Vốn đã giao", Kind.AMOUNT, Total.SUM),
    Column("disbursed", "Vốn đã giải ngân", Kind.AMOUNT, Total.SUM),
    Column("rate", "Tỷ lệ giải ngân", Kind.PERCENT, rate_of=("disbursed", "allocated")),
    Column("budget", "Ngân sách", Kind.AMOUNT, Total.SUM),
    Column("non_budget", "Ngoài ngân sách", Kind.AMOUNT, Total.SUM),
    Column("leverage", "Huy động / 1 đồng NS", Kind.RATIO, rate_of=("non_budget", "budget")),
    Column("decided", "Ngày quyết định", Kind.DATE),
]
ROWS = [
    ["06970", "Xã Ba Chẽ", 1_000_000, 300_000, Fraction(3, 10), 800_000, 200_000, Fraction(1, 4), None],
    [
        "06973",
        "Xã Thanh Sơn",
        3_000_000,
        2_000_000,
        Fraction(2, 3),
        3_000_000,
        0,
        0,
        datetime.date(2025, 9, 1),
    ],
    ["07000", "Xã Đồn Đạc", 0, 0, None, 0, 0, None, None],
]


def written(
    rows: list[list[object]] = ROWS, columns: list[Column] = MONEY, heading: Heading = HEADING
) -> bytes:
    workbook = ReportWorkbook()
    sheet = workbook.add_sheet(name="Theo đơn vị", heading=heading, columns=columns)
    for row in rows:
        sheet.append(row)
    return workbook.content()


def test_the_heading_says_what_where_when_and_who_in_vietnamese() -> None:
    with translation.override("vi"):
        report = read_report(written())
        expected_lines = [
            translation.gettext("Unit: {unit}").format(unit="Tỉnh Quảng Ninh"),
            translation.gettext("Period: {period}").format(period="2021–2025"),
            "Hợp phần: 1 — Hỗ trợ đầu tư",
            translation.gettext("Exported on {date} by {user}").format(
                date="09/03/2026 08:05", user="Nguyễn Thị Lan (quangninh)"
            ),
        ]
    assert report.title == "Vốn chương trình theo đơn vị"
    assert report.lines == expected_lines
    assert report.header == [column.header for column in MONEY]
    assert report.sheet.title == "Theo đơn vị"
    # The title stands out; the header row is bold on a fill, wrapped, framed
    assert report.sheet["A1"].font.bold
    assert report.sheet["A1"].font.size == 14
    header = report.sheet[report.header_row]
    assert all(cell.font.bold and cell.alignment.wrap_text for cell in header)


def test_the_heading_and_the_totals_label_follow_the_readers_language() -> None:
    with translation.override("en"):
        report = read_report(written())
    assert report.lines[0] == "Unit: Tỉnh Quảng Ninh"
    assert report.lines[-1] == "Exported on 09/03/2026 08:05 by Nguyễn Thị Lan (quangninh)"
    assert report.totals is not None
    assert report.totals[0] == "Total"


def test_amounts_rates_ratios_dates_and_codes_are_typed_for_excel() -> None:
    report = read_report(written())
    ba_che, thanh_son, don_dac = (report.cells(row) for row in range(3))
    # Amounts: whole numbers with the thousands format (Excel writes 1.000.000 in a Vietnamese locale)
    assert [(cell.value, cell.data_type, cell.number_format) for cell in ba_che[2:4]] == [
        (1_000_000, "n", "#,##0"),
        (300_000, "n", "#,##0"),
    ]
    # A rate is the fraction with a percent format (shown 30.0%), a ratio two decimals
    assert (ba_che[4].value, ba_che[4].number_format) == (0.3, "0.0%")
    assert (ba_che[7].value, ba_che[7].number_format) == (0.25, "#,##0.00")
    # A date is a date, written day/month/year
    assert thanh_son[8].is_date
    assert (thanh_son[8].value, thanh_son[8].number_format) == (datetime.datetime(2025, 9, 1), "dd/mm/yyyy")
    # A code is text in the text format: Excel keeps its leading zero
    assert (ba_che[0].value, ba_che[0].data_type, ba_che[0].number_format) == ("06970", "s", "@")
    # An empty value is an empty cell, never a zero or a dash
    assert don_dac[4].value is None
    assert ba_che[8].value is None


def test_the_totals_row_sums_amounts_and_recomputes_rates_from_the_sums() -> None:
    report = read_report(written())
    totals = report.totals
    assert totals is not None
    assert totals[0] == str(TOTAL)
    assert totals[2:4] == (4_000_000, 2_300_000)
    # 2,300,000 / 4,000,000 = 57.5%: not the sum of the rates (96.7%) nor their mean (48.3%)
    assert totals[4] == pytest.approx(0.575)
    assert totals[5:7] == (3_800_000, 200_000)
    assert totals[7] == pytest.approx(200_000 / 3_800_000)
    assert totals[8] is None  # a date does not add up
    cells = report.totals_cells()
    assert [cell.number_format for cell in cells[2:5]] == ["#,##0", "#,##0", "0.0%"]
    assert all(cell.font.bold for cell in cells)


def test_a_rate_over_nothing_is_empty_in_the_totals_and_an_empty_table_totals_zero() -> None:
    report = read_report(written(rows=[]))
    assert report.rows == []
    assert report.totals == (str(TOTAL), None, 0, 0, None, 0, 0, None, None)


def test_a_list_counts_its_rows_under_the_columns_that_count() -> None:
    columns = [
        Column("number", "STT", Kind.INTEGER),
        Column("code", "Mã hộ", Kind.CODE, Total.COUNT),
        Column("status", "Tình trạng năm 2025", total=Total.COUNT),
        Column("members", "Số nhân khẩu", Kind.INTEGER, Total.SUM),
    ]
    rows: list[list[object]] = [
        [1, "06970-001", "Hộ nghèo", 4],
        [2, "06970-002", None, 3],
        [3, "06970-003", "", 5],
    ]
    report = read_report(written(rows=rows, columns=columns))
    assert report.totals == (str(TOTAL), 3, 1, 12)
    assert report.totals_cells()[1].number_format == "#,##0"


def test_the_header_is_frozen_filtered_sized_and_the_sheet_prints_landscape_on_the_page_width() -> None:
    report = read_report(written())
    sheet = report.sheet
    assert report.header_row == 7  # title, four lines, an empty row
    assert sheet.freeze_panes == "A8"
    assert sheet.auto_filter.ref == "A7:I10"
    assert sheet.column_dimensions["A"].width == 16  # a code
    assert sheet.column_dimensions["B"].width == 28  # a name
    assert sheet.column_dimensions["C"].width == 18  # an amount
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$7:$7"
    assert sheet.oddFooter.center.text == "&P / &N"


def test_what_someone_typed_comes_back_as_text_never_as_a_formula() -> None:
    # Given names, codes, a title and a filter line as a hostile officer could type them
    columns = [
        Column("code", "Mã", Kind.CODE),
        Column("name", "Tên"),
        Column("amount", "Số tiền", Kind.AMOUNT),
    ]
    rows: list[list[object]] = [[text, text, 1] for text in FORMULAS] + [["#N/A", CONTROLS, 2]]
    heading = Heading(
        title='=HYPERLINK("http://x","Báo cáo")',
        unit="+1+1",
        exported_by="@SUM(A1)",
        notes=("-2",),
        exported_at=EXPORTED_AT,
    )
    content = written(rows=rows, columns=columns, heading=heading)
    # Then the file holds no formula, and every text reads back as typed, less control characters
    texts = formula_free_texts(content)
    read_back = [text.replace("\r", "\n") for text in FORMULAS]
    report = read_report(content)
    assert report.title == '=HYPERLINK("http://x","Báo cáo")'
    assert report.lines[1] == "-2"  # no period: the unit, the note, who and when
    assert report.column("Mã") == [*read_back, "#N/A"]
    assert report.column("Tên") == [*read_back, CONTROLS_KEPT]
    assert '=HYPERLINK("http://x","y")' in texts
    # and a code that could be a formula keeps the text format as well as the quote prefix
    first = report.cells(0)[0]
    assert (first.data_type, first.quotePrefix, first.number_format) == ("s", True, "@")


def test_a_time_is_written_as_read_in_viet_nam() -> None:
    columns = [Column("what", "Việc"), Column("at", "Lúc", Kind.DATE)]
    report = read_report(written(rows=[["Xuất", EXPORTED_AT]], columns=columns))
    cell = report.cells(0)[1]
    assert (cell.value, cell.number_format) == (datetime.datetime(2026, 3, 9, 8, 5), "dd/mm/yyyy hh:mm")


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ([Column("a", "A"), Column("b", "B", total=Total.SUM)], "only amounts and counts add up"),
        ([Column("a", "A"), Column("b", "B", Kind.PERCENT, Total.SUM)], "only amounts and counts add up"),
        ([Column("a", "A"), Column("r", "R", Kind.PERCENT, rate_of=("x", "y"))], "divides summed columns"),
        ([Column("n", "N", Kind.INTEGER, Total.SUM)], "the first column holds the totals row's label"),
        ([Column("a", "A"), Column("a", "B")], "column keys must be unique"),
    ],
)
def test_a_declaration_that_cannot_add_up_is_refused(columns: list[Column], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ReportWorkbook().add_sheet(name="x", heading=HEADING, columns=columns)


def test_a_row_of_the_wrong_shape_or_a_number_given_as_text_is_refused() -> None:
    workbook = ReportWorkbook()
    sheet = workbook.add_sheet(name="x", heading=HEADING, columns=MONEY)
    with pytest.raises(ValueError, match="8 values for 9 columns"):
        sheet.append(ROWS[0][:-1])
    with pytest.raises(TypeError, match="a amount column takes numbers"):
        sheet.append(["1", "x", "1.500.000", 0, None, 0, 0, None, None])
    with pytest.raises(ValueError, match="a percent column takes finite numbers"):
        sheet.append(["1", "x", 1, 0, float("nan"), 0, 0, None, None])
    with pytest.raises(ValueError, match="a amount column takes finite numbers"):
        sheet.append(["1", "x", Decimal("Infinity"), 0, None, 0, 0, None, None])
    with pytest.raises(TypeError, match="a date column takes dates"):
        sheet.append(["1", "x", 1, 0, None, 0, 0, None, "01/09/2025"])
    # and nothing of a refused row was written
    assert sheet.row_count == 0
    report = read_report(workbook.content())
    assert report.rows == []
    assert report.totals == (str(TOTAL), None, 0, 0, None, 0, 0, None, None)


def test_exact_amounts_stay_whole_and_rates_of_any_number_type_are_fractions() -> None:
    rows: list[list[object]] = [
        ["1", "x", Decimal(1_500_000), Fraction(600_000), Decimal("0.4"), 1, 0, 0.0, None],
    ]
    report = read_report(written(rows=rows))
    assert report.rows[0][2:5] == (1_500_000, 600_000, 0.4)
    assert isinstance(report.rows[0][2], int)


def test_sheet_names_and_the_exporters_name_as_excel_and_officials_take_them() -> None:
    assert sheet_name("Vốn: theo [đơn vị]/nguồn?") == "Vốn theo đơn vị nguồn"
    assert sheet_name("x" * 40) == "x" * 31
    assert sheet_name("***") == "Sheet"
    assert (
        exported_by(User(username="quangninh", first_name="Nguyễn Thị Lan")) == "Nguyễn Thị Lan (quangninh)"
    )
    assert exported_by(User(username="analyst")) == "analyst"
