"""Crosswalk validation and carrying counts, without a database."""

from decimal import Decimal

from vungcao.engine import crosswalk
from vungcao.engine.crosswalk import CrosswalkRow, carry_counts, parse_share, validate_crosswalk

OLD = {"00001": "commune", "00004": "commune", "001": "district", "01": "province"}
NEW = {"00004": "commune", "00070": "commune", "01": "province"}


def validate(*rows: tuple[str, str, str]):
    return validate_crosswalk(
        [{"old_code": old, "new_code": new, "share": share} for old, new, share in rows],
        old_levels=OLD,
        new_levels=NEW,
        level="commune",
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
        (2, "old_code", "", crosswalk.MISSING_VALUE),
        (3, "old_code", "001", crosswalk.WRONG_OLD_LEVEL.format(actual="district", expected="commune")),
        (4, "share", "0.5", crosswalk.SHARES_DO_NOT_SUM_TO_ONE.format(code="00001", total="0.5")),
        (5, "new_code", "00004", crosswalk.DUPLICATE_LINK.format(old="00001", new="00004")),
        (6, "share", "0", crosswalk.SHARE_OUT_OF_RANGE),
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
