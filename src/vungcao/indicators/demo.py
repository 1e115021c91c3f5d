"""The demo's indicators — ILLUSTRATIVE figures, not statistics, every value noted "Số liệu minh họa".

* History 2015–2024 of Điện Biên (11) and Quảng Ninh (22), entered for the provinces as they were before
  1 July 2025: households, poor and near-poor households (so the poverty rates), communes with a hardened
  road, households on the national grid and with hygienic water. The shapes are plausible (Điện Biên's
  rate falling from near half, jumping when the 2022–2025 standard took over in the 2021 review;
  Quảng Ninh's near zero); the numbers are invented.
* Commune values of two coverage indicators: for 2024 by the former communes, for 2025 by the current
  ones, each entered on a day chosen so that completeness reaches every state — on time (one on the
  deadline's day), late, missing — and a period of the current year not yet due.
* Targets: Điện Biên's poverty rate down 3 points a year over 2021–2025 (the NTP 1719 target), 100% of
  communes with a hardened road by 2025, its schools (their history 2020–2024 entered too) and others,
  held by the objectives of one plan (2021–2030) so that its page shows every status of progress and an
  objective without targets; Quảng Ninh's poverty rate at most 1% by 2025; a named group of Điện Biên
  communes with a grid target.
* Reporting periods for all of these, and the 2025 review (communes to provinces, provinces to centre).
* Quảng Ninh's own indicators, defined through the service as an officer would: households in community
  tourism (entered by three of its reporting communes for 2025) and their share of households (derived);
  and a group of its former communes (before 1 July 2025) without targets, whose 2024 figures lack the
  commune that never reports.

Idempotent: every row is matched by its natural key and left alone when present.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from vungcao.accounts.models import User
from vungcao.engine.indicators.calendar import ReportingLevel, ReportSubject, default_deadline
from vungcao.geo import tree
from vungcao.geo.models import AdministrativeUnit, Era
from vungcao.indicators.models import (
    Indicator,
    IndicatorValue,
    Objective,
    Plan,
    ReportingPeriod,
    Target,
    UnitGroup,
)
from vungcao.indicators.services.definitions import indicator_create
from vungcao.indicators.services.groups import unit_group_create
from vungcao.indicators.services.revisions import CHANGED_FIELDS, indicator_values_changed
from vungcao.registry.demo.profiles import PROVINCES

NOTE = "Số liệu minh họa (demo), không phải số liệu thống kê"
LABEL = "[minh họa]"
DIEN_BIEN, QUANG_NINH = "11", "22"
ROAD, GRID = "communes_with_hardened_road", "households_on_national_grid"
COMMUNES_REPORTING = 4  # the first communes of each demo province (the small demo's)


@dataclass(frozen=True)
class ProvinceHistory:
    households: list[int]
    poverty: list[str]
    near_poverty: list[str]
    road: list[int]
    grid: list[str]
    water: list[str]


# Province history by year, 2015–2024: households, poverty and near-poverty rates (%), communes with a
# hardened road (of the era's communes: 129 in Điện Biên, 171 in Quảng Ninh), grid and water shares (%).
HISTORY = {
    DIEN_BIEN: ProvinceHistory(
        households=[
            121_400,
            123_600,
            125_700,
            127_900,
            130_100,
            132_200,
            134_300,
            136_200,
            138_000,
            139_700,
        ],
        poverty=["48.0", "44.5", "40.9", "37.2", "33.8", "30.4", "34.6", "31.2", "27.5", "23.9"],
        near_poverty=["11.8", "11.5", "11.2", "10.8", "10.3", "9.9", "12.1", "11.6", "11.0", "10.4"],
        road=[101, 106, 110, 114, 118, 121, 123, 125, 127, 128],
        grid=["85.0", "86.4", "87.9", "89.2", "90.5", "91.6", "92.8", "93.9", "95.0", "96.1"],
        water=["74.8", "76.9", "78.6", "80.2", "82.1", "83.9", "85.6", "87.3", "89.0", "90.6"],
    ),
    QUANG_NINH: ProvinceHistory(
        households=[
            331_000,
            335_600,
            340_100,
            344_800,
            349_300,
            353_900,
            358_400,
            362_800,
            367_300,
            371_700,
        ],
        poverty=["3.2", "2.5", "1.9", "1.2", "0.6", "0.4", "1.4", "0.9", "0.5", "0.2"],
        near_poverty=["2.1", "1.8", "1.6", "1.3", "1.0", "0.8", "1.5", "1.2", "0.9", "0.6"],
        road=[160, 163, 166, 169, 171, 171, 171, 171, 171, 171],
        grid=["98.5", "98.8", "99.1", "99.3", "99.5", "99.6", "99.7", "99.8", "99.9", "99.9"],
        water=["90.2", "91.5", "92.7", "93.8", "94.9", "95.8", "96.6", "97.3", "97.9", "98.4"],
    ),
}
FIRST_YEAR = 2015
# Điện Biên's schools 2020–2024 (entered only, so no record of the registry's demo stands in for them): all
# schools, solid ones, and those meeting the facility standard — what the plan's school targets read.
SCHOOLS_FIRST_YEAR = 2020
SCHOOLS = {
    "schools": [480, 480, 480, 480, 480],
    "solid_schools": [372, 384, 398, 411, 425],
    "schools_meeting_facility_standard": [150, 168, 182, 194, 203],
}
# 2025, entered by the current provinces themselves: their communes with a hardened road (of 45 and 54).
ROAD_2025 = {DIEN_BIEN: 44, QUANG_NINH: 54}

# When each reporting commune (in the order of the demo's profiles) entered its figures, relative to the
# deadline: days after it (negative: before), or None for never. The fourth never reports.
ENTERED_DAYS_AFTER: tuple[int | None, ...] = (-5, 16, 0, None)


def _units(era: str, codes: list[str]) -> dict[str, AdministrativeUnit]:
    return {unit.code: unit for unit in AdministrativeUnit.objects.filter(era=era, code__in=codes)}


def _value(indicator: str, unit: AdministrativeUnit, year: int, value: Decimal | int, user: User) -> bool:
    _row, created = IndicatorValue.objects.get_or_create(
        indicator=indicator, unit=unit, year=year, defaults={"value": value, "note": NOTE, "entered_by": user}
    )
    return created


def _share(households: int, percent: str) -> int:
    return int((Decimal(households) * Decimal(percent) / 100).to_integral_value())


def _history(user: User) -> int:
    provinces = _units(Era.PRE2025, list(HISTORY))
    added = 0
    for code, series in HISTORY.items():
        for index, households in enumerate(series.households):
            year, province = FIRST_YEAR + index, provinces[code]
            for indicator, value in (
                ("households", households),
                ("poor_households", _share(households, series.poverty[index])),
                ("near_poor_households", _share(households, series.near_poverty[index])),
                (ROAD, series.road[index]),
                (GRID, _share(households, series.grid[index])),
                ("households_with_hygienic_water", _share(households, series.water[index])),
            ):
                added += _value(indicator, province, year, value, user)
    for code, unit in _units(Era.CURRENT, list(ROAD_2025)).items():
        added += _value(ROAD, unit, 2025, ROAD_2025[code], user)
    for indicator, counts in SCHOOLS.items():
        for index, count in enumerate(counts):
            added += _value(indicator, provinces[DIEN_BIEN], SCHOOLS_FIRST_YEAR + index, count, user)
    return added


def _reporting_communes(era: str) -> list[AdministrativeUnit]:
    """The first demo communes of each province, in the era (the former communes the crosswalk links to
    them by the same code)."""
    codes = [commune.code for province in PROVINCES for commune in province.communes[:COMMUNES_REPORTING]]
    found = _units(era, codes)
    return [found[code] for code in codes if code in found]


def _commune_reports(user: User, era: str, year: int) -> int:
    """Each reporting commune's road and grid figures of ``year``, entered on its day (see the top)."""
    deadline, _source = default_deadline(
        subject=ReportSubject.INDICATOR, level=ReportingLevel.COMMUNE, year=year
    )
    added = 0
    for position, commune in enumerate(_reporting_communes(era)):
        days = ENTERED_DAYS_AFTER[position % len(ENTERED_DAYS_AFTER)]
        if days is None:
            continue
        day = deadline + datetime.timedelta(days=days)
        when = timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 16))
        for indicator, value in ((ROAD, 1 if position % 3 else 0), (GRID, 1_800 + 37 * position)):
            if _value(indicator, commune, year, value, user):
                IndicatorValue.objects.filter(indicator=indicator, unit=commune, year=year).update(
                    created_at=when
                )
                added += 1
    return added


def _period(
    subject: str, indicator: str, year: int, era: str, owner: AdministrativeUnit | None, user: User
) -> bool:
    level = ReportingLevel.COMMUNE if owner is not None else ReportingLevel.PROVINCE
    deadline, source = default_deadline(subject=ReportSubject(subject), level=level, year=year)
    _row, created = ReportingPeriod.objects.get_or_create(
        subject=subject,
        indicator=indicator,
        year=year,
        owner=owner,
        era=era,
        defaults={"level": level, "deadline": deadline, "source": source.vi, "created_by": user},
    )
    return created


def _periods(user: User, today: datetime.date) -> int:
    added = 0
    for era, year in ((Era.PRE2025, 2024), (Era.CURRENT, 2025), (Era.CURRENT, max(today.year, 2026))):
        for province in _units(era, list(HISTORY)).values():
            for indicator in (ROAD, GRID):
                added += _period(ReportSubject.INDICATOR, indicator, year, era, province, user)
    for province in _units(Era.CURRENT, list(HISTORY)).values():
        added += _period(ReportSubject.REVIEW, "", 2025, Era.CURRENT, province, user)
    added += _period(ReportSubject.REVIEW, "", 2025, Era.CURRENT, None, user)
    return added


# The objectives of Điện Biên's plan, in order; the last holds no target yet (a plan's page shows one).
OBJECTIVES = (
    f"Giảm nghèo bền vững vùng đồng bào dân tộc thiểu số {LABEL}",
    f"Hạ tầng thiết yếu: giao thông, điện, nước {LABEL}",
    f"Trường, lớp học kiên cố và đạt chuẩn {LABEL}",
    f"Bảo tồn, phát huy giá trị văn hóa truyền thống các dân tộc {LABEL}",
)


def _targets(user: User) -> int:
    """Điện Biên's plan (2021–2030), whose school targets reach every status of progress with the entered
    schools: solid schools 85% by 2025 achieved (in 2023), 95% by 2030 on track, schools meeting the
    standard 60% by 2025 behind; the income of poor households by 2030 without data yet."""
    provinces = _units(Era.CURRENT, list(HISTORY))
    dien_bien = provinces[DIEN_BIEN]
    plan, plan_created = Plan.objects.get_or_create(
        name=f"Kế hoạch thực hiện Chương trình MTQG 1719 tỉnh Điện Biên {LABEL}",
        unit=dien_bien,
        defaults={"from_year": 2021, "to_year": 2030},
    )
    poverty, roads, schools, _culture = (
        Objective.objects.get_or_create(plan=plan, position=position, defaults={"name": name})[0]
        for position, name in enumerate(OBJECTIVES, start=1)
    )
    group, group_created = UnitGroup.objects.get_or_create(
        owner=dien_bien,
        name=f"Các xã vùng cao, đặc biệt khó khăn {LABEL}",
        defaults={"era": Era.CURRENT, "created_by": user},
    )
    if group_created:
        group.members.set(
            commune for commune in _reporting_communes(Era.CURRENT) if tree.within(commune, dien_bien)
        )
    added = int(plan_created) + group_created
    for indicator, unit, group_of, kind, value, years, objective in (
        ("poverty_rate", dien_bien, None, "annual_change", -3, (2021, 2025), poverty),
        ("income_per_capita_poor_households", dien_bien, None, "at_least", 2_000_000, (2025, 2030), poverty),
        ("communes_with_hardened_road_rate", dien_bien, None, "at_least", 100, (2021, 2025), roads),
        ("households_on_national_grid_rate", None, group, "at_least", 99, (2021, 2025), roads),
        ("solid_schools_rate", dien_bien, None, "at_least", 85, (2021, 2025), schools),
        ("solid_schools_rate", dien_bien, None, "at_least", 95, (2021, 2030), schools),
        ("schools_meeting_facility_standard_rate", dien_bien, None, "at_least", 60, (2021, 2025), schools),
        ("poverty_rate", provinces[QUANG_NINH], None, "at_most", 1, (2021, 2025), None),
    ):
        _target, created = Target.objects.get_or_create(
            indicator=indicator,
            era=Era.CURRENT,
            unit=unit,
            group=group_of,
            kind=kind,
            baseline_year=years[0],
            target_year=years[1],
            defaults={"value": value, "objective": objective, "created_by": user},
        )
        added += created
    return added


TOURISM = "qn_community_tourism_households"
TOURISM_VALUES = (42, 17, 65)  # of the first three reporting communes of Quảng Ninh, 2025


def _province_definitions(user: User) -> int:
    """Quảng Ninh's own indicators and its group of former communes (see the top), through the services
    that check them."""
    quang_ninh = _units(Era.CURRENT, [QUANG_NINH])[QUANG_NINH]
    added = 0
    if not Indicator.objects.filter(code=TOURISM).exists():
        tourism = {
            "province_code": QUANG_NINH,
            "code": TOURISM,
            "name_vi": f"Số hộ làm du lịch cộng đồng {LABEL}",
            "name_en": f"Households in community tourism {LABEL}",
            "unit": "households",
            "kind": "entered",
            "aggregation": "sum",
            "source": f"Nghị quyết 06-NQ/TU của Tỉnh ủy Quảng Ninh {LABEL}",
            "minimum": 0,
            "direction": "higher_is_better",
        }
        indicator_create(user=user, values=tourism)
        rate = {
            **tourism,
            "code": f"{TOURISM}_rate",
            "name_vi": f"Tỷ lệ hộ làm du lịch cộng đồng {LABEL}",
            "name_en": f"Share of households in community tourism {LABEL}",
            "unit": "percent",
            "kind": "derived",
            "aggregation": "recompute",
            "minimum": None,
            "formula": {"op": "ratio", "numerator": TOURISM, "denominator": "households", "scale": 100},
        }
        indicator_create(user=user, values=rate)
        added += 2
    communes = [commune for commune in _reporting_communes(Era.CURRENT) if tree.within(commune, quang_ninh)]
    for commune, value in zip(communes, TOURISM_VALUES, strict=False):
        added += _value(TOURISM, commune, 2025, value, user)
    name = f"Các xã cũ vùng cao trước sáp nhập {LABEL}"
    if not UnitGroup.objects.filter(owner=quang_ninh, name=name).exists():
        former_province = _units(Era.PRE2025, [QUANG_NINH])[QUANG_NINH]
        former = [
            commune.code
            for commune in _reporting_communes(Era.PRE2025)
            if tree.within(commune, former_province)
        ]
        unit_group_create(
            user=user,
            values={"name": name, "era": Era.PRE2025, "owner_code": QUANG_NINH, "member_codes": former},
        )
        added += 1
    return added


@transaction.atomic
def indicators_demo_ensure(*, today: datetime.date | None = None) -> str:
    """Seed the illustrative indicators, targets and reporting periods; a line saying what was added."""
    user = User.objects.get(username="admin")
    today = today or timezone.localdate()
    history = _history(user)
    reports = _commune_reports(user, Era.PRE2025, 2024) + _commune_reports(user, Era.CURRENT, 2025)
    targets = _targets(user)
    periods = _periods(user, today)
    definitions = _province_definitions(user)
    indicator_values_changed(changed=IndicatorValue.objects.filter(note=NOTE).values_list(*CHANGED_FIELDS))
    return (
        f"demo indicators (illustrative, noted «{NOTE}»): {history} history values, {reports} commune "
        f"values, {targets} plans, groups and targets, {periods} reporting periods, {definitions} province "
        "indicators, groups and their values added"
    )
