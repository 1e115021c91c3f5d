"""Crosswalk validation and carrying counts, without a database."""

from decimal import Decimal

import pytest

from vungcao.engine import crosswalk
from vungcao.engine.crosswalk import (
    CrosswalkRow,
    carry_counts,
    parse_share,
    reverse_links,
    validate_crosswalk,
)

OLD = {"00001": "commune", "00004": "commune", "001": "district", "01": "province"}
NEW = {"00004": "commune", "00070": "commune", "01": "province"}


def validate(*rows: tuple[str, str, str], language: str = "en"):
    return validate_crosswalk(
        [{"old_code": old, "new_code": new, "share": share} for old, new, share in rows],
        old_levels=OLD,
        new_levels=NEW,
        level="commune",
        language=language,
    )


def test_shares_are_read_as_decimals_fractions_or_percentages() -> None:
    assert [parse_share(text) for text in ("0.25", "0,25", "25%", "1", " 40 % ")] == [
        Decimal("0.25"),
        Decimal("0.25"),
        Decimal("0.25"),
        Decimal(1),
        Decimal("0.4"),
    ]


def test_a_split_unit_whose_shares_add_up_to_one_is_accepted() -> None:
    links, report = validate(("00001", "00004", "0.7"), ("00001", "00070", "30%"), ("00004", "00004", ""))
    assert report.ok
    assert links == [
        CrosswalkRow("00001", "00004", Decimal("0.7")),
        CrosswalkRow("00001", "00070", Decimal("0.3")),
        CrosswalkRow("00004", "00004", Decimal(1)),
    ]


def test_every_problem_is_reported_by_row_field_value_and_reason() -> None:
    _links, report = validate(
        ("", "00004", "1"),
        ("001", "00004", "1"),
        ("00001", "00004", "0.5"),
        ("00001", "00004", "0.5"),
        ("00004", "00070", "0"),
    )
    assert [(p.row, p.field, p.value, p.reason) for p in report] == [
        (2, "old_code", "", crosswalk.MISSING_VALUE.en),
        (3, "old_code", "001", crosswalk.WRONG_OLD_LEVEL.en.format(actual="district", expected="commune")),
        (4, "share", "0.5", crosswalk.SHARES_DO_NOT_SUM_TO_ONE.en.format(code="00001", total="0.5")),
        (5, "new_code", "00004", crosswalk.DUPLICATE_LINK.en.format(old="00001", new="00004")),
        (6, "share", "0", crosswalk.SHARE_OUT_OF_RANGE.en),
    ]


def test_in_vietnamese_every_problem_is_explained_in_vietnamese() -> None:
    # Given a crosswalk with a problem of every kind
    rows = (
        ("", "00004", "1"),
        ("99999", "00004", "1"),
        ("00004", "99999", "1"),
        ("001", "01", "1"),
        ("00001", "00004", "0.5"),
        ("00001", "00004", "0.5"),
        ("00004", "00070", "0"),
        ("00004", "00070", "abc"),
    )
    # When it is validated for a Vietnamese reader
    _links, report = validate(*rows, language="vi")
    # Then every reason is in Vietnamese, levels named as officials name them
    assert [(p.row, p.field, p.value, p.reason) for p in report] == [
        (2, "old_code", "", "cột này bắt buộc phải có giá trị"),
        (3, "old_code", "99999", "không có đơn vị nào của thời kỳ cũ mang mã này"),
        (4, "new_code", "99999", "không có đơn vị nào của thời kỳ mới mang mã này"),
        (5, "new_code", "01", "đơn vị mới là cấp tỉnh, nhưng bảng chuyển đổi này liên kết các đơn vị cấp xã"),
        (
            5,
            "old_code",
            "001",
            "đơn vị cũ là cấp huyện, nhưng bảng chuyển đổi này liên kết các đơn vị cấp xã",
        ),
        (6, "share", "0.5", "tổng tỷ lệ của đơn vị cũ 00001 là 0.5, không bằng 1"),
        (7, "new_code", "00004", "đơn vị cũ 00001 được liên kết với đơn vị mới 00004 hai lần"),
        (8, "share", "0", "tỷ lệ phải lớn hơn 0 và không quá 1"),
        (9, "share", "abc", "tỷ lệ không phải là số (ghi theo dạng 0,25 hoặc 25%)"),
    ]


def test_a_level_without_a_name_is_shown_by_its_code() -> None:
    _links, report = validate_crosswalk(
        [{"old_code": "A", "new_code": "00004", "share": "1"}],
        old_levels={"A": "hamlet"},
        new_levels=NEW,
        level="commune",
        language="vi",
    )
    assert [p.reason for p in report] == [
        "đơn vị cũ là cấp hamlet, nhưng bảng chuyển đổi này liên kết các đơn vị cấp xã"
    ]


def test_counts_add_across_the_crosswalk_by_share() -> None:
    links = [
        CrosswalkRow("00001", "00004", Decimal("0.7")),
        CrosswalkRow("00001", "00070", Decimal("0.3")),
        CrosswalkRow("00004", "00004", Decimal(1)),
    ]
    carried = carry_counts({"00001": 100, "00004": 50}, links)
    assert carried == {"00004": Decimal(120), "00070": Decimal(30)}
    assert sum(carried.values()) == 150


def test_links_read_backwards_split_each_new_unit_in_proportion_to_its_shares() -> None:
    """Given a new commune made of all of old A and half of old B, and old B's other half in another new
    commune, when read backwards, then the first is ⅔ A and ⅓ B, the second all B; counts carried back
    keep their total."""
    links = [
        CrosswalkRow("A", "N1", Decimal(1)),
        CrosswalkRow("B", "N1", Decimal("0.5")),
        CrosswalkRow("B", "N2", Decimal("0.5")),
    ]
    backwards = reverse_links(links)
    assert [(row.old_code, row.new_code) for row in backwards] == [("N1", "A"), ("N1", "B"), ("N2", "B")]
    assert [float(row.share) for row in backwards] == pytest.approx([2 / 3, 1 / 3, 1.0])
    carried = carry_counts({"N1": 30, "N2": 10}, backwards)
    assert float(carried["A"]) == pytest.approx(20)
    assert float(carried["B"]) == pytest.approx(20)
    assert reverse_links([]) == []


@pytest.mark.parametrize("text", ["NaN", "Infinity", "1e-3", "=1/4", "0,5\x00", "9" * 10_000, "1,000"])
def test_a_share_the_number_parser_refuses_is_reported_not_a_crash(text: str) -> None:
    """ "NaN" reached a comparison that raised InvalidOperation (a server error) before shares were read by
    the one number parser."""
    links, report = validate_crosswalk(
        [{"old_code": "1", "new_code": "2", "share": text}],
        old_levels={"1": "commune"},
        new_levels={"2": "commune"},
        level="commune",
    )
    assert links == []
    assert [(problem.field, problem.reason) for problem in report] == [
        ("share", "the share is not a number (write it as 0.25 or 25%)")
    ]
