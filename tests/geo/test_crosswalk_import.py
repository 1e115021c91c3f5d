"""Importing the official commune crosswalk: all or nothing, every error listed by row."""

import io
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import Workbook

from tests.imports.helpers import preview, preview_and_apply, problems
from vungcao.common.errors import ApplicationError, PermissionDeniedError
from vungcao.engine import crosswalk
from vungcao.geo.models import CrosswalkLink, Era
from vungcao.geo.services import units
from vungcao.imports.models import ImportBatch

pytestmark = pytest.mark.django_db

# Old communes 06970 (Thị trấn Ba Chẽ) and 06973 went into new Xã Ba Chẽ (06970); old 06976 is split.
GOOD = "old_code,new_code,share\n06970,06970,1\n06973,06970,1\n06976,06970,0.6\n06976,06862,40%\n"


def links_of(old_code: str) -> set[tuple[str, Decimal, str]]:
    return {
        (link.new_unit.code, link.share, link.provenance)
        for link in CrosswalkLink.objects.filter(old_unit__era=Era.PRE2025, old_unit__code=old_code)
    }


def snapshot() -> list[tuple[int, int, Decimal, str]]:
    return list(
        CrosswalkLink.objects.order_by("pk").values_list("old_unit", "new_unit", "share", "provenance")
    )


def test_given_a_clean_file_when_previewed_then_counts_show_and_nothing_is_written() -> None:
    before = snapshot()
    batch = preview("crosswalk", GOOD)
    assert (batch.status, batch.created_count, batch.updated_count, batch.unchanged_count) == (
        ImportBatch.Status.READY,
        3,
        1,
        0,
    )
    assert snapshot() == before


def test_given_a_clean_file_when_applied_then_links_replace_the_derived_anchors() -> None:
    preview_and_apply("crosswalk", GOOD)
    official = CrosswalkLink.Provenance.OFFICIAL_IMPORT
    assert links_of("06976") == {("06970", Decimal("0.6"), official), ("06862", Decimal("0.4"), official)}
    assert links_of("06970") == {("06970", Decimal(1), official)}


def test_importing_the_same_file_twice_changes_nothing() -> None:
    preview_and_apply("crosswalk", GOOD)
    before = snapshot()
    batch = preview_and_apply("crosswalk", GOOD)
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 0, 4)
    assert snapshot() == before


def test_derivation_after_an_import_keeps_the_official_links() -> None:
    preview_and_apply("crosswalk", GOOD)
    units.crosswalk_derive()
    assert links_of("06976") == {
        ("06970", Decimal("0.6"), CrosswalkLink.Provenance.OFFICIAL_IMPORT),
        ("06862", Decimal("0.4"), CrosswalkLink.Provenance.OFFICIAL_IMPORT),
    }


def test_an_xlsx_file_is_read_like_a_csv() -> None:
    workbook = Workbook()
    sheet = workbook.active
    for row in (["old_code", "new_code", "share"], ["06973", "06970", 1]):
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    preview_and_apply("crosswalk", stream.getvalue(), "crosswalk.xlsx")
    assert links_of("06973") == {("06970", Decimal(1), CrosswalkLink.Provenance.OFFICIAL_IMPORT)}


BAD = (
    "old_code,new_code,share\n"
    "06973,06970,1\n"  # row 2 is fine, but must not be written either
    "99999,06970,1\n"  # row 3: unknown old code
    "06976,99999,1\n"  # row 4: unknown new code
    "06979,06970,0.5\n"  # row 5: shares of 06979 add up to 0.5
    "22,06970,1\n"  # row 6: an old province in a commune crosswalk
    "06982,22,1\n"  # row 7: a new province in a commune crosswalk
    "06985,06970,abc\n"  # row 8: share not a number
    "06988,06970,1.4\n"  # row 9: share above 1
)


def test_a_bad_file_is_refused_whole_with_every_problem_by_row() -> None:
    before = snapshot()
    with translation.override("en"):
        batch = preview("crosswalk", BAD)
    assert batch.status == ImportBatch.Status.REFUSED
    assert problems(batch) == [
        (3, "old_code", "99999", crosswalk.UNKNOWN_OLD_UNIT.en),
        (4, "new_code", "99999", crosswalk.UNKNOWN_NEW_UNIT.en),
        (5, "share", "0.5", crosswalk.SHARES_DO_NOT_SUM_TO_ONE.en.format(code="06979", total="0.5")),
        (6, "old_code", "22", crosswalk.WRONG_OLD_LEVEL.en.format(actual="province", expected="commune")),
        (7, "new_code", "22", crosswalk.WRONG_NEW_LEVEL.en.format(actual="province", expected="commune")),
        (8, "share", "abc", crosswalk.SHARE_NOT_A_NUMBER.en),
        (9, "share", "1.4", crosswalk.SHARE_OUT_OF_RANGE.en),
    ]
    assert snapshot() == before


def test_a_vietnamese_reader_sees_every_problem_in_vietnamese() -> None:
    # Given a bad crosswalk, when a Vietnamese reader previews it
    before = snapshot()
    with translation.override("vi"):
        batch = preview("crosswalk", BAD)
    # Then it is refused with every reason in Vietnamese, and nothing is written
    assert batch.status == ImportBatch.Status.REFUSED
    assert problems(batch) == [
        (3, "old_code", "99999", "không có đơn vị nào của thời kỳ cũ mang mã này"),
        (4, "new_code", "99999", "không có đơn vị nào của thời kỳ mới mang mã này"),
        (5, "share", "0.5", "tổng tỷ lệ của đơn vị cũ 06979 là 0.5, không bằng 1"),
        (6, "old_code", "22", "đơn vị cũ là cấp tỉnh, nhưng bảng chuyển đổi này liên kết các đơn vị cấp xã"),
        (7, "new_code", "22", "đơn vị mới là cấp tỉnh, nhưng bảng chuyển đổi này liên kết các đơn vị cấp xã"),
        (8, "share", "abc", "tỷ lệ không phải là số (ghi theo dạng 0,25 hoặc 25%)"),
        (9, "share", "1.4", "tỷ lệ phải lớn hơn 0 và không quá 1"),
    ]
    assert snapshot() == before


def test_a_file_without_the_needed_columns_is_refused() -> None:
    with translation.override("en"):
        batch = preview("crosswalk", "old,new\n06973,06970\n")
    assert problems(batch) == [
        (1, "new_code", "", "The column new_code is missing from the header row."),
        (1, "old_code", "", "The column old_code is missing from the header row."),
    ]


def test_a_file_that_is_not_a_table_is_refused_with_a_message() -> None:
    before = snapshot()
    with translation.override("en"), pytest.raises(ApplicationError) as refused:
        preview("crosswalk", b"not a zip", "x.xlsx")
    assert refused.value.message == "The file is not a readable Excel workbook (.xlsx)."
    assert (snapshot(), ImportBatch.objects.count()) == (before, 0)


def test_only_administrators_import_the_crosswalk(commune_officer, province_officer) -> None:
    for user in (commune_officer, province_officer):
        with pytest.raises(PermissionDeniedError):
            preview("crosswalk", GOOD, user=user)
    assert links_of("06970") == {("06970", Decimal(1), CrosswalkLink.Provenance.DERIVED_ANCHOR)}
    assert ImportBatch.objects.count() == 0
