"""The questionnaire template as an official fills it in Excel: Vietnamese headers, drop-down lists, the
answers of the open review's standard; a filled template imports, messy cells and all."""

import io

import pytest
from openpyxl import load_workbook

from tests.conftest import client_for
from tests.imports.helpers import preview
from tests.registry.conftest import STANDARD
from vungcao.imports import services
from vungcao.imports.models import ImportBatch
from vungcao.registry import classification
from vungcao.registry.models import Assessment, Member

pytestmark = pytest.mark.django_db


def test_the_template_has_vietnamese_headers_lists_and_the_standards_answers(
    commune_officer, ba_che_review
) -> None:
    response = client_for(commune_officer).get("/imports/template/questionnaire.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    headers = [cell.value for cell in sheet[1]]
    assert headers[:3] == ["Năm rà soát (review_year)", "Mã hộ (household_code)", "Mã thôn (village_code)"]
    assert (
        "Thu nhập bình quân đầu người một tháng (income_per_capita_month)" not in headers
    )  # household column, not an answer
    assert any(header.endswith("(members_total)") for header in headers)
    assert any(header.endswith("(deprived__telecom)") for header in headers)
    lists_sheet = workbook["lists"]
    assert lists_sheet.sheet_state == "hidden"
    lists = {
        tuple(lists_sheet[cell].value for cell in _cells(validation.formula1))
        for validation in sheet.data_validations.dataValidation
    }
    # the models' labels in Vietnamese, never codes (own_farm, lower_secondary)
    assert ("Nam", "Nữ") in lists
    assert ("Nông thôn", "Thành thị") in lists
    assert ("Có", "Không") in lists
    assert any("Trung học cơ sở" in values for values in lists)
    assert any("Tự sản xuất nông, lâm nghiệp, thủy sản" in values for values in lists)
    example = {
        header.rsplit("(", 1)[1].rstrip(")"): cell.value
        for header, cell in zip(headers, sheet[2], strict=True)
    }
    assert (example["area"], example["sex"], example["relation_to_head"]) == ("Nông thôn", "Nam", "Chủ hộ")
    assert (example["schooling"], example["work"]) == ("Tiểu học", "Tự sản xuất nông, lâm nghiệp, thủy sản")


def _cells(formula: str) -> list[str]:
    """``lists!$A$1:$A$3`` → ``["A1", "A2", "A3"]``."""
    first, last = formula.split("!")[1].replace("$", "").split(":")
    column = first.rstrip("0123456789")
    return [f"{column}{row}" for row in range(int(first[len(column) :]), int(last[len(column) :]) + 1)]


def test_every_code_and_identity_column_is_text_in_the_template(commune_officer, ba_che_review) -> None:
    """Excel keeps 06970 as written in a text column instead of turning it into 6970."""
    response = client_for(commune_officer).get("/imports/template/questionnaire.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    formats = {
        cell.value.rsplit("(", 1)[1].rstrip(")"): sheet.column_dimensions[cell.column_letter].number_format
        for cell in sheet[1]
    }
    text_columns = {column for column, number_format in formats.items() if number_format == "@"}
    assert text_columns == {"household_code", "village_code", "ethnic_group", "identity_number"}
    assert sheet["B2"].number_format == "@"


def answers_of_a_household_deprived_in_nothing() -> dict[str, object]:
    """The answers the template asks under vn-2022-2025, filled as an official would, by field type."""
    answers: dict[str, object] = {}
    for field in classification.standard(STANDARD).all_fields:
        if field.name in ("area", "income_per_capita_month"):
            continue
        if field.type == "boolean":
            answers[field.name] = "không" if field.name.startswith("deprived__") else "Có"
        elif field.type == "integer":
            answers[field.name] = 2 if field.name == "members_total" else 0
        else:
            answers[field.name] = 45.5
    return answers


def test_a_messy_filled_template_imports(commune_officer, ba_che_review) -> None:
    response = client_for(commune_officer).get("/imports/template/questionnaire.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    columns = [
        cell.value.rsplit("(", 1)[1].rstrip(")") if "(" in cell.value else cell.value for cell in sheet[1]
    ]
    sheet.delete_rows(2)  # the example row
    household = {
        "review_year": 2025.0,  # Excel keeps numbers as floats
        "household_code": " 06970-001-0009 ",
        "village_code": "06970-001",
        "area": "Nông thôn",
        "income_per_capita_month": 1_400_000,
        **answers_of_a_household_deprived_in_nothing(),
    }
    members = [
        {
            "member_name": "  Hoàng   Văn Lý ",
            "sex": "Nam",
            "birth_year": 1975,
            "ethnic_group": "Dao",
            "relation_to_head": "Chủ hộ",
        },
        {
            "member_name": "Triệu Thị Hạnh",
            "sex": "NỮ",
            "birth_year": 1979,
            "ethnic_group": "09",
            "relation_to_head": "vợ/chồng",
        },
    ]
    for member in members:
        values = {**household, **member}
        sheet.append([values.get(column) for column in columns])
    stream = io.BytesIO()
    workbook.save(stream)
    batch = preview("questionnaire", stream.getvalue(), "ba-che.xlsx", user=commune_officer)
    assert batch.status == ImportBatch.Status.READY, batch.problems
    assert (batch.created_count, batch.unchanged_count) == (1, 0)
    services.import_apply(user=commune_officer, batch=batch)
    assessment = Assessment.objects.get(household__code="06970-001-0009")
    assert (assessment.status, assessment.deprivation_count) == ("near_poor", 0)
    assert assessment.answers["members_total"] == 2
    assert (
        Member.objects.get(household=assessment.household, relation_to_head="head").full_name
        == "Hoàng Văn Lý"
    )


def test_the_template_says_how_to_fill_it_on_a_sheet_after_the_one_read(
    commune_officer, ba_che_review
) -> None:
    # Given the commune officer's questionnaire template
    response = client_for(commune_officer).get("/imports/template/questionnaire.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    # The file is read from its first sheet: the instructions come after it, in Vietnamese
    assert workbook.sheetnames[:2] == ["questionnaire", "Hướng dẫn"]
    rows = [tuple(cell for cell in row) for row in workbook["Hướng dẫn"].iter_rows(values_only=True)]
    assert rows[0][0] == "Cách điền tệp: Phiếu rà soát hộ nghèo, hộ cận nghèo của xã"
    rules = [row[0] for row in rows[1:] if row[0] and str(row[0]).startswith("• ")]
    # the rules of every file (numbers as officials write them, codes kept as text) and the questionnaire's
    assert any("1.500.000" in rule and "1,5 triệu" in rule for rule in rules)
    assert any("06970" in rule for rule in rules)
    assert any("ghi nhận là đã rời khỏi hộ" in rule for rule in rules)
    # then every column of the sheet read: its header, whether required, what it takes, the example
    table = rows[rows.index(("Cột", "Bắt buộc", "Giá trị được chấp nhận", "Ví dụ")) + 1 :]
    headers = [cell.value for cell in workbook.active[1]]
    assert [row[0] for row in table] == headers
    by_header = {row[0]: row[1:] for row in table}
    assert by_header["Mã thôn (village_code)"][:2] == (
        "có",
        "Mã thôn, dạng văn bản (5 chữ số của đơn vị cấp trên, dấu “-”, rồi phần riêng)",
    )
    assert by_header["Giới tính (sex)"][1] == "Nam; Nữ"
    assert by_header["Giới tính (sex)"][2] == "Nam"
