"""Hostile files, built in code and small: each a few hundred bytes to a few megabytes."""

import io
import struct
import zipfile
from collections.abc import Iterable

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
KINDS = "application/vnd.openxmlformats-officedocument.spreadsheetml"
HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>commune_code</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>name</t></is></c></row>'
)


def inline_row(number: int, *texts: str) -> str:
    cells = "".join(
        f'<c r="{chr(65 + index)}{number}" t="inlineStr"><is><t>{text}</t></is></c>'
        for index, text in enumerate(texts)
    )
    return f'<row r="{number}">{cells}</row>'


def workbook_parts(sheets: int = 1) -> dict[str, str]:
    """Every part of a workbook but its sheet: what Excel needs to open one."""
    sheet_list = "".join(f'<sheet name="S{n}" sheetId="{n}" r:id="rId{n}"/>' for n in range(1, sheets + 1))
    targets = "".join(
        f'<Relationship Id="rId{n}" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>'
        for n in range(1, sheets + 1)
    )
    return {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{KINDS}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{KINDS}.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}">'
            f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
            f"<sheets>{sheet_list}</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}">{targets}</Relationships>'
        ),
    }


def sheet_xml(body: str, *, before: str = "", root: str = "worksheet") -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><{root} xmlns="{MAIN}">{before}<sheetData>{body}</sheetData></{root}>'


def workbook(
    body: str = "",
    *,
    sheet: str | bytes | None = None,
    sheets: int = 1,
    extra: Iterable[tuple[str, str | bytes]] = (),
) -> bytes:
    """An XLSX workbook whose first sheet holds ``body`` (rows) or is ``sheet`` (the whole part)."""
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in workbook_parts(sheets).items():
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", sheet if sheet is not None else sheet_xml(body))
        for name, data in extra:
            archive.writestr(name, data)
    return stream.getvalue()


def bomb(megabytes: int = 100) -> bytes:
    """A workbook whose sheet is a valid start followed by ``megabytes`` MB of blanks: it packs ~1,000:1."""
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in workbook_parts().items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=False) as part:
            part.write(
                f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'.encode()
            )
            part.write(HEADER_ROW.encode())
            blanks = b" " * (1024 * 1024)
            for _ in range(megabytes):
                part.write(blanks)
            part.write(b"</sheetData></worksheet>")
    return stream.getvalue()


def declaring_sizes(content: bytes, name: str, declared: int) -> bytes:
    """``content`` with the part ``name`` declaring ``declared`` unpacked bytes in both its headers."""
    data = bytearray(content)
    info = zipfile.ZipFile(io.BytesIO(content)).getinfo(name)
    struct.pack_into("<L", data, info.header_offset + 22, declared)
    encoded = name.encode()
    position = 0
    while (position := data.find(b"PK\x01\x02", position)) != -1:
        name_length = struct.unpack_from("<H", data, position + 28)[0]
        if bytes(data[position + 46 : position + 46 + name_length]) == encoded:
            struct.pack_into("<L", data, position + 24, declared)
        position += 4
    return bytes(data)


def many_parts(count: int) -> bytes:
    return workbook(HEADER_ROW, extra=[(f"xl/media/part{number}.xml", "<a/>") for number in range(count)])


def open_document() -> bytes:
    """An OpenDocument spreadsheet (.ods) renamed .xlsx: a zip, but not of an Excel workbook."""
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
        for name, text in workbook_parts().items():
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml(HEADER_ROW))
    return stream.getvalue()


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)
OLD_EXCEL = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
