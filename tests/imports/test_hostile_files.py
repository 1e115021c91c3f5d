"""A corpus of hostile files: each is refused with a message naming the limit, nothing is written, and
the process lives on (the test running after it is the proof). Through the service and the upload page."""

import html
import io
import time
import zipfile
from collections.abc import Callable

import pytest
from django.utils import translation

from tests.conftest import BA_CHE, client_for
from tests.imports import hostile
from tests.imports.helpers import english, preview, run_tasks, upload, uploaded
from vungcao.common import file_limits, files
from vungcao.common.errors import ApplicationError
from vungcao.common.files import read_cells
from vungcao.geo.models import AdministrativeUnit, Level
from vungcao.imports.models import ImportBatch

pytestmark = pytest.mark.django_db


def far_corner_message(cell: str, rows: str, columns: str) -> str:
    return (
        f"The sheet reaches cell {cell} ({rows} rows × {columns} columns); at most 500,000 rows, 256 columns "
        "and 20,000,000 cells can be read. Delete the rows and columns after the data, or split the file."
    )


FAR_CORNER = far_corner_message("XFD1048576", "1,048,576", "16,384")
NOT_A_WORKBOOK = "The file is not a readable Excel workbook (.xlsx)."

# name → (file name, content, the refusal in English)
REFUSED_BEFORE_READING: dict[str, tuple[str, Callable[[], bytes], str]] = {
    "one cell at the far corner": (
        "far.xlsx",
        lambda: hostile.workbook(
            hostile.HEADER_ROW + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
        ),
        FAR_CORNER,
    ),
    "a dimension declaring the far corner": (
        "declared.xlsx",
        lambda: hostile.workbook(
            sheet=hostile.sheet_xml(hostile.HEADER_ROW, before='<dimension ref="A1:XFD1048576"/>')
        ),
        FAR_CORNER,
    ),
    "the far corner reached by cells without references": (
        "unreferenced.xlsx",
        lambda: hostile.workbook(hostile.HEADER_ROW + '<row r="1048576"><c><v>1</v></c></row>'),
        far_corner_message("B1048576", "1,048,576", "2"),
    ),
    "the far corner behind a namespace prefix": (
        "prefixed.xlsx",
        lambda: hostile.workbook(
            sheet=hostile.sheet_xml(hostile.HEADER_ROW).replace(
                "</sheetData>", '<row r="2"><x:c xmlns:x="m" r="XFD2"><x:v>1</x:v></x:c></row></sheetData>'
            )
        ),
        far_corner_message("XFD2", "2", "16,384"),
    ),
    "a value in the millionth row": (
        "million.xlsx",
        lambda: hostile.workbook(
            hostile.HEADER_ROW
            + "".join(f'<row r="{n}"/>' for n in range(2, 1_000_000))
            + hostile.inline_row(1_000_000, BA_CHE, "x")
        ),
        far_corner_message("B1000000", "1,000,000", "2"),
    ),
    "a decompression bomb": ("bomb.xlsx", lambda: hostile.bomb(100), "RATIO"),
    "a part lying about its size": (
        "lying.xlsx",
        lambda: hostile.declaring_sizes(
            hostile.workbook(hostile.HEADER_ROW + hostile.inline_row(2, BA_CHE, "Thôn A" * 1000)),
            "xl/worksheets/sheet1.xml",
            400,
        ),
        NOT_A_WORKBOOK,
    ),
    "parts declaring more than a gigabyte": (
        "huge.xlsx",
        lambda: hostile.declaring_sizes(
            hostile.declaring_sizes(
                hostile.workbook(hostile.HEADER_ROW), "xl/worksheets/sheet1.xml", 600 << 20
            ),
            "[Content_Types].xml",
            600 << 20,
        ),
        "The workbook unpacks to more than 1,024 MB; split it.",
    ),
    "a thousand and one parts": (
        "parts.xlsx",
        lambda: hostile.many_parts(1_000),
        "The workbook has more than 1,000 parts; it was not read.",
    ),
    "a hundred and one sheets": (
        "sheets.xlsx",
        lambda: hostile.workbook(hostile.HEADER_ROW, sheets=101),
        "The workbook has 101 sheets; at most 100 can be read. Only the first sheet is imported: copy it into a "
        "workbook of its own.",
    ),
    "a sheet in UTF-16": (
        "utf16.xlsx",
        lambda: hostile.workbook(
            sheet=hostile.sheet_xml(hostile.HEADER_ROW).replace("UTF-8", "UTF-16").encode("utf-16")
        ),
        NOT_A_WORKBOOK,
    ),
    "text renamed .xlsx": ("notes.xlsx", lambda: b"commune_code,name\n06970,Thon A\n", NOT_A_WORKBOOK),
    "a picture renamed .xlsx": ("photo.xlsx", lambda: hostile.PNG, NOT_A_WORKBOOK),
    "an old .xls renamed .xlsx": (
        "old.xlsx",
        lambda: hostile.OLD_EXCEL,
        "The file is an old Excel workbook (.xls); open it in Excel and save it as .xlsx.",
    ),
    "an OpenDocument spreadsheet renamed .xlsx": (
        "calc.xlsx",
        hostile.open_document,
        "The file is not an Excel workbook (.xlsx) but another kind of spreadsheet; save it as .xlsx.",
    ),
    "a zip of something else renamed .xlsx": (
        "archive.xlsx",
        lambda: _zip({"readme.txt": "hello"}),
        NOT_A_WORKBOOK,
    ),
    "a workbook renamed .csv": (
        "villages.csv",
        lambda: hostile.workbook(hostile.HEADER_ROW),
        "The file is an Excel workbook, not CSV text: upload it with a name ending in .xlsx.",
    ),
    "a picture renamed .csv": (
        "villages.csv",
        lambda: hostile.PNG,
        'The file is not CSV text (it holds binary data); save it as "CSV UTF-8".',
    ),
    "CSV with NUL bytes": (
        "villages.csv",
        lambda: f"commune_code,name\n{BA_CHE},Thôn\x00A\n".encode(),
        'The file is not CSV text (it holds binary data); save it as "CSV UTF-8".',
    ),
    "CSV in another encoding": (
        "villages.csv",
        lambda: f"commune_code,name\n{BA_CHE},Thôn A\n".encode("cp1258"),
        'The CSV file is not UTF-8 text; save it as "CSV UTF-8".',
    ),
    "CSV with a million empty rows": (
        "villages.csv",
        lambda: b"commune_code,name\n" + b"\n" * 1_000_000,
        "The file has more than 500,000 rows; split it.",
    ),
    "CSV with 300 columns": (
        "villages.csv",
        lambda: ("commune_code,name\n" + ",".join(["x"] * 300) + "\n").encode(),
        "Row 2 has 300 columns; at most 256 can be read.",
    ),
    "CSV with a cell past the reader's field limit": (
        "villages.csv",
        lambda: f"commune_code,name\n{BA_CHE},{'x' * 200_000}\n".encode(),
        "Row 2 of the CSV file cannot be read (a cell longer than 131,072 characters, or a quote never closed).",
    ),
    "GeoJSON nested a hundred thousand deep": (
        "communes.geojson",
        lambda: b"[" * 100_000 + b"]" * 100_000,
        "The file is not valid GeoJSON (UTF-8 JSON text).",
    ),
    "a file larger than 50 MB": (
        "big.csv",
        lambda: b"commune_code,name\n" + b"x" * (50 * 1024 * 1024),
        "The file is larger than 50 MB; split it.",
    ),
}


def _zip(parts: dict[str, str]) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return stream.getvalue()


def _expected(message: str, content: bytes) -> str:
    if message != "RATIO":
        return message
    part = zipfile.ZipFile(io.BytesIO(content)).getinfo("xl/worksheets/sheet1.xml")
    ratio = f"{part.file_size // part.compress_size:,}"
    return (
        f"A part of the workbook (xl/worksheets/sheet1.xml) unpacks to {ratio} times its packed size, as no "
        "spreadsheet does; it was not read."
    )


def kind_of(filename: str) -> str:
    return "boundaries" if filename.endswith(".geojson") else "villages"


def nothing_written() -> bool:
    return (
        not ImportBatch.objects.exists()
        and not AdministrativeUnit.objects.filter(level=Level.VILLAGE).exists()
    )


@pytest.fixture(autouse=True)
def calamine_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records every call of the XLSX reader; a file refused before reading never reaches it."""
    calls: list[str] = []
    original = files.CalamineWorkbook.from_filelike

    def spy(stream: object) -> object:
        calls.append("from_filelike")
        return original(stream)

    monkeypatch.setattr(files.CalamineWorkbook, "from_filelike", spy)
    return calls


@pytest.mark.parametrize("case", list(REFUSED_BEFORE_READING), ids=list(REFUSED_BEFORE_READING))
def test_a_hostile_file_is_refused_by_the_service_before_it_is_read(
    case, administrator, calamine_calls
) -> None:
    filename, build, message = REFUSED_BEFORE_READING[case]
    content = build()
    started = time.perf_counter()
    with translation.override("en"), pytest.raises(ApplicationError) as refused:
        preview(kind_of(filename), content, filename, user=administrator)
    elapsed = time.perf_counter() - started
    assert refused.value.message == _expected(message, content)
    assert calamine_calls == []
    assert nothing_written()
    # Bounded by construction (no grid is built); the bound here only catches a return of the old reader.
    assert elapsed < 30


def refused_on_the_page(batch: ImportBatch) -> bool:
    """The upload was refused by its background reading: the batch says so, keeps nothing of the file, and
    nothing was written."""
    return (
        batch.status == ImportBatch.Status.FAILED
        and (batch.upload, batch.rows, batch.phase) == (b"", b"", "")
        and not AdministrativeUnit.objects.filter(level=Level.VILLAGE).exists()
    )


@pytest.mark.parametrize(
    "case",
    ["one cell at the far corner", "a decompression bomb", "an old .xls renamed .xlsx", "CSV with NUL bytes"],
)
def test_a_hostile_file_is_refused_by_the_upload_page(case, commune_officer) -> None:
    filename, build, _message = REFUSED_BEFORE_READING[case]
    content = build()
    client = client_for(commune_officer)
    batch = uploaded(client, "villages", content, filename)
    page = client.get(f"/imports/{batch.pk}/").content.decode()
    # The page speaks the officer's language (Vietnamese): the service's refusal, in it.
    with translation.override("vi"), pytest.raises(ApplicationError) as refused:
        preview("villages", content, filename, user=commune_officer)
    assert batch.error == refused.value.message
    assert html.escape(refused.value.message) in page
    assert refused_on_the_page(batch)


def test_the_refusal_is_in_the_readers_language(commune_officer) -> None:
    content = REFUSED_BEFORE_READING["one cell at the far corner"][1]()
    client = client_for(commune_officer)
    with translation.override("vi"):
        batch = uploaded(client, "villages", content, "far.xlsx")
        expected = str(file_limits.SHEET_TOO_LARGE).format(
            cell="XFD1048576",
            rows=file_limits.grouped(1_048_576),
            columns=file_limits.grouped(16_384),
            max_rows=file_limits.grouped(500_000),
            max_columns=file_limits.grouped(256),
            max_cells=file_limits.grouped(20_000_000),
        )
    assert "1.048.576" in expected  # grouped as Vietnamese writes numbers
    assert html.escape(expected) in client.get(f"/imports/{batch.pk}/").content.decode()
    assert refused_on_the_page(batch)


def test_the_refusal_is_in_the_language_of_the_uploader_not_the_worker(commune_officer) -> None:
    """Given an officer reading the pages in English, when the worker (Vietnamese by default) reads the
    file, then the refusal it records is in English."""
    content = REFUSED_BEFORE_READING["one cell at the far corner"][1]()
    client = english(client_for(commune_officer))
    response = upload(client, "villages", content, "far.xlsx")
    with translation.override("vi"):
        run_tasks()
    batch = ImportBatch.objects.get(pk=response["Location"].strip("/").split("/")[-1])
    assert batch.error.startswith("The sheet reaches cell XFD1048576 (1,048,576 rows × 16,384 columns)")


def problems_of(batch: ImportBatch) -> list[tuple[int, str, str, str]]:
    return [(p["row"], p["field"], p["value"], p["reason"]) for p in batch.problems]


def test_cells_no_import_takes_are_refused_by_row_and_nothing_is_kept(commune_officer) -> None:
    long_name = "Thôn " + "A" * 100_000
    content = (
        "commune_code,name,type\n"
        f'{BA_CHE},"=HYPERLINK(""http://x.example/"",""Thôn A"")",thôn\n'
        f"{BA_CHE},Thôn\x07B,thôn\n"
        f"{BA_CHE},{long_name},thôn\n"
        f"{BA_CHE},Thôn C - 2 = 1 + 1,thôn\n"
    )
    with translation.override("en"):
        batch = preview("villages", content, user=commune_officer)
    assert batch.status == ImportBatch.Status.REFUSED
    assert problems_of(batch) == [
        (
            2,
            "name",
            '=HYPERLINK("http://x.example/","Thôn A")',
            'The cell begins with "=", as a formula does; a formula is not imported: type the value.',
        ),
        (3, "name", "Thôn\x07B", "The cell holds an invisible control character (code 7); delete it."),
        (4, "name", long_name[:199] + "…", "The cell is longer than 32,767 characters."),
    ]
    stored = ImportBatch.objects.get()
    assert bytes(stored.rows) == b""
    assert not AdministrativeUnit.objects.filter(level=Level.VILLAGE).exists()


def test_a_formula_in_a_workbook_is_read_as_the_value_excel_saved_never_as_a_formula() -> None:
    content = hostile.workbook(
        hostile.HEADER_ROW
        + f'<row r="2"><c r="A2" t="inlineStr"><is><t>{BA_CHE}</t></is></c>'
        + '<c r="B2" t="str"><f>HYPERLINK("http://x.example/","Thôn A")</f><v>Thôn A</v></c></row>'
        + f'<row r="3"><c r="A3" t="inlineStr"><is><t>{BA_CHE}</t></is></c>'
        + '<c r="B3" t="inlineStr"><is><t>=HYPERLINK("http://x.example/","B")</t></is></c></row>'
    )
    with translation.override("en"):
        table = read_cells(io.BytesIO(content), "villages.xlsx")
    assert table.rows == [[BA_CHE, "Thôn A"], [BA_CHE, '=HYPERLINK("http://x.example/","B")']]
    assert [(p.row, p.field, p.reason) for p in table.problems] == [
        (3, "name", 'The cell begins with "=", as a formula does; a formula is not imported: type the value.')
    ]


def test_a_workbook_of_a_million_empty_rows_reads_as_no_data(commune_officer, calamine_calls) -> None:
    content = hostile.workbook(hostile.HEADER_ROW + "".join(f'<row r="{n}"/>' for n in range(2, 1_000_002)))
    with translation.override("en"):
        batch = preview("villages", content, "empty.xlsx", user=commune_officer)
    assert (batch.status, problems_of(batch)) == (
        ImportBatch.Status.REFUSED,
        [(1, "", "", "The file has no data rows.")],
    )
    assert bytes(ImportBatch.objects.get().rows) == b""


def test_a_file_of_many_problems_keeps_the_first_thousand_and_counts_the_rest(commune_officer) -> None:
    content = "commune_code,name,type\n" + "".join(f"{BA_CHE},=x{n},thôn\n" for n in range(5_000))
    with translation.override("en"):
        batch = preview("villages", content, user=commune_officer)
    page = english(client_for(commune_officer)).get(f"/imports/{batch.pk}/").content.decode()
    stored = ImportBatch.objects.get()
    assert (stored.problem_count, len(stored.problems), stored.problems_omitted) == (5_000, 1_000, 4_000)
    assert [p["row"] for p in stored.problems] == list(range(2, 1_002))
    assert "… and 4000 more problems, not kept: the first 1000 by row are listed." in page


def test_workbooks_written_otherwise_are_still_read() -> None:
    """A namespace prefix, attributes in another order, cells and rows without references: read, and
    placed as calamine places them."""
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="{hostile.MAIN}"><x:sheetData>'
        '<x:row><x:c t="inlineStr"><x:is><x:t>commune_code</x:t></x:is></x:c>'
        '<x:c t="inlineStr"><x:is><x:t>name</x:t></x:is></x:c></x:row>'
        f'<x:row><x:c t="inlineStr" r="A2"><x:is><x:t>{BA_CHE}</x:t></x:is></x:c>'
        '<x:c t="inlineStr"><x:is><x:t>Thôn A</x:t></x:is></x:c></x:row>'
        "</x:sheetData></x:worksheet>"
    )
    table = read_cells(io.BytesIO(hostile.workbook(sheet=sheet)), "villages.xlsx")
    assert (table.columns, table.rows) == (["commune_code", "name"], [[BA_CHE, "Thôn A"]])
