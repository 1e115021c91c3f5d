"""Crosswalks between two eras of administrative units (the 2025 reorganisation).

A crosswalk link says that a share (0–1) of an old unit went into a new unit. Counts (households,
money) are carried across by multiplying by the share and adding; rates are never carried: they are
recomputed from their carried numerators and denominators.

This module validates crosswalk tables before anything is stored and carries counts across links. The
reasons of a validation are written in the reader's ``language`` (``"vi"`` or ``"en"``, English unless
told).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from vungcao.engine.numbers import parse_number
from vungcao.engine.tabular import ValidationReport
from vungcao.engine.text import Label

SHARE_TOLERANCE = Decimal("0.000001")

UNKNOWN_OLD_UNIT = Label(
    "không có đơn vị nào của thời kỳ cũ mang mã này", "no unit of the old era has this code"
)
UNKNOWN_NEW_UNIT = Label(
    "không có đơn vị nào của thời kỳ mới mang mã này", "no unit of the new era has this code"
)
WRONG_OLD_LEVEL = Label(
    "đơn vị cũ là cấp {actual}, nhưng bảng chuyển đổi này liên kết các đơn vị cấp {expected}",
    "the old unit is a {actual}, but this crosswalk links {expected} units",
)
WRONG_NEW_LEVEL = Label(
    "đơn vị mới là cấp {actual}, nhưng bảng chuyển đổi này liên kết các đơn vị cấp {expected}",
    "the new unit is a {actual}, but this crosswalk links {expected} units",
)
SHARE_NOT_A_NUMBER = Label(
    "tỷ lệ không phải là số (ghi theo dạng 0,25 hoặc 25%)",
    "the share is not a number (write it as 0.25 or 25%)",
)
SHARE_OUT_OF_RANGE = Label(
    "tỷ lệ phải lớn hơn 0 và không quá 1", "the share must be greater than 0 and at most 1"
)
SHARES_DO_NOT_SUM_TO_ONE = Label(
    "tổng tỷ lệ của đơn vị cũ {code} là {total}, không bằng 1",
    "the shares of old unit {code} add up to {total}, not 1",
)
DUPLICATE_LINK = Label(
    "đơn vị cũ {old} được liên kết với đơn vị mới {new} hai lần",
    "old unit {old} is linked to new unit {new} twice",
)
MISSING_VALUE = Label("cột này bắt buộc phải có giá trị", "this column is required")
# The levels a reason names, as an official calls them; any other level is named by its code.
LEVEL_NAMES = {
    "province": Label("tỉnh", "province"),
    "district": Label("huyện", "district"),
    "commune": Label("xã", "commune"),
    "village": Label("thôn", "village"),
}


@dataclass(frozen=True)
class CrosswalkRow:
    """One validated link: ``share`` of ``old_code`` went into ``new_code``."""

    old_code: str
    new_code: str
    share: Decimal


def parse_share(text: str) -> Decimal:
    """Read ``"0.25"``, ``"0,25"``, ``"25%"`` or ``"1"`` with the one number parser (``engine.numbers``:
    no ``NaN``, exponent or infinity); raise ``ValueError`` otherwise."""
    cleaned = text.strip()
    percent = cleaned.endswith("%")
    number = parse_number(cleaned.removesuffix("%"), decimals=12, maximum=None)  # NumberError is a ValueError
    return number / 100 if percent else number


def validate_crosswalk(
    rows: Iterable[Mapping[str, str]],
    *,
    old_levels: Mapping[str, str],
    new_levels: Mapping[str, str],
    level: str,
    first_row_number: int = 2,
    language: str = "en",
) -> tuple[list[CrosswalkRow], ValidationReport]:
    """Check every row of a crosswalk table; return the links and every problem found.

    ``old_levels`` and ``new_levels`` map each known code of the old and the new era to its level;
    ``level`` is the level the crosswalk links (``commune`` or ``province``). Rows need the columns
    ``old_code``, ``new_code`` and optionally ``share`` (1 when empty). The shares of one old unit must
    add up to 1. The caller stores the links only when the report is clean; its reasons are in
    ``language``.
    """
    report = ValidationReport()
    links: list[CrosswalkRow] = []
    totals: dict[str, Decimal] = defaultdict(Decimal)
    first_row_of: dict[str, int] = {}
    seen: set[tuple[str, str]] = set()
    for row_number, row in enumerate(rows, start=first_row_number):
        old_code = (row.get("old_code") or "").strip()
        new_code = (row.get("new_code") or "").strip()
        share_text = (row.get("share") or "").strip() or "1"
        row_ok = True
        for field_name, code, levels, unknown, wrong in (
            ("old_code", old_code, old_levels, UNKNOWN_OLD_UNIT, WRONG_OLD_LEVEL),
            ("new_code", new_code, new_levels, UNKNOWN_NEW_UNIT, WRONG_NEW_LEVEL),
        ):
            if not code:
                report.add(row_number, field_name, code, MISSING_VALUE.in_language(language))
                row_ok = False
            elif code not in levels:
                report.add(row_number, field_name, code, unknown.in_language(language))
                row_ok = False
            elif levels[code] != level:
                reason = wrong.in_language(language).format(
                    actual=_level_name(levels[code], language), expected=_level_name(level, language)
                )
                report.add(row_number, field_name, code, reason)
                row_ok = False
        try:
            share = parse_share(share_text)
        except ValueError:
            report.add(row_number, "share", share_text, SHARE_NOT_A_NUMBER.in_language(language))
            continue
        if not Decimal(0) < share <= Decimal(1):
            report.add(row_number, "share", share_text, SHARE_OUT_OF_RANGE.in_language(language))
            continue
        if (old_code, new_code) in seen:
            reason = DUPLICATE_LINK.in_language(language).format(old=old_code, new=new_code)
            report.add(row_number, "new_code", new_code, reason)
            continue
        seen.add((old_code, new_code))
        if row_ok:
            links.append(CrosswalkRow(old_code, new_code, share))
            totals[old_code] += share
            first_row_of.setdefault(old_code, row_number)
    for old_code, total in totals.items():
        if abs(total - 1) > SHARE_TOLERANCE:
            report.add(
                first_row_of[old_code],
                "share",
                str(total),
                SHARES_DO_NOT_SUM_TO_ONE.in_language(language).format(code=old_code, total=total),
            )
    return links, report


def _level_name(level: str, language: str) -> str:
    return LEVEL_NAMES.get(level, Label(level, level)).in_language(language)


def carry_counts(counts_by_old_code: Mapping[str, int], links: Iterable[CrosswalkRow]) -> dict[str, Decimal]:
    """Carry counts of old units to new units: each new unit gets Σ share × count of its old units."""
    carried: dict[str, Decimal] = defaultdict(Decimal)
    for link in links:
        count = counts_by_old_code.get(link.old_code)
        if count is not None:
            carried[link.new_code] += link.share * count
    return dict(carried)


def reverse_links(links: Iterable[CrosswalkRow]) -> list[CrosswalkRow]:
    """The links read backwards, from each new unit to the old units it came from (``old_code`` is the
    new unit's, ``new_code`` the old unit's), so that :func:`carry_counts` carries counts kept under the
    new units back to the old ones.

    A link says which share of the *old* unit went into the new one, not which share of the new unit came
    from it; without the old units' sizes, each new unit is split in proportion to the shares linked into
    it (as if its old units were of equal size). The split is exact when a new unit comes from one old
    unit, and a caller that groups the old units (e.g. by province) is exact whenever all of a new unit's
    old units fall in one group. The shares of each new unit add up to 1.
    """
    by_new_unit: dict[str, list[CrosswalkRow]] = defaultdict(list)
    for link in links:
        by_new_unit[link.new_code].append(link)
    reversed_links = []
    for new_code, incoming in sorted(by_new_unit.items()):
        total = sum((link.share for link in incoming), Decimal(0))
        for link in sorted(incoming, key=lambda link: link.old_code):
            reversed_links.append(CrosswalkRow(new_code, link.old_code, link.share / total))
    return reversed_links
