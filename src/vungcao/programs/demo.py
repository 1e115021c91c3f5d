"""The demo's money story — ILLUSTRATIVE figures, not real records, every document marked [minh họa].

* Quảng Ninh (22): NTP 1719 capital 2021–2025 where the state budget is about 16% of allocations and
  mobilised non-budget capital the rest, so leverage shows about 5 (the province reports about 5
  non-budget dong per budget dong; the amounts here are invented to show that shape).
* Điện Biên (11), Mường Phăng (03325): coffee and macadamia production-support projects whose 2023
  capital was extended into 2024 and again into 2025; a road behind schedule; a revolving-fund cattle
  model with an overdue hand-over; housing support (2024) to a SYNTHETIC household of Mường Phăng
  made by the registry demo (which runs first) that its latest review records as poor or near-poor
  with a housing deprivation — none when the registry demo made no such household.
* Quảng Ninh before 1 July 2025: a road of 2022 recorded, as it then was, under the old Xã Thanh Sơn
  (06973, of the old Huyện Ba Chẽ): the old era's figures show it under its commune, the current era's
  carry it across the crosswalk (here through the old province's link: no link of the commune's own was
  imported) into Quảng Ninh.
* What the money records pages show: Ba Chẽ's (06970) 2024 central investment partly extended into 2025
  and its 2024 disbursements paying for a cinnamon model (a work); Mường Phăng's 2023 capital paid out in
  2024 for the coffee model; people's contributions disbursed past their allocation in both communes
  (stored with an alert: non-budget money is not held to the allocation, see
  ``engine.money.disbursement_overrun``).

Idempotent: every row is matched by its natural key and left alone when present.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from vungcao.geo.models import AdministrativeUnit, Era
from vungcao.programs import eligibility
from vungcao.programs.models import (
    CapitalSource,
    Component,
    HouseholdSupport,
    MoneyRecord,
    RevolvingHolding,
    RevolvingModel,
    Work,
)
from vungcao.programs.rollups import money_totals_refresh
from vungcao.programs.selectors.activities import support_eligibility
from vungcao.registry.models import Household

LABEL = "[minh họa]"
MUONG_PHANG = "03325"
BILLION = 10**9

# (unit, component, year, budget allocation, non-budget allocation, disbursed share in ‰)
QUANG_NINH_PLAN = (
    [
        ("22", "1719-DA4-TDA1", year, 180 * BILLION, 950 * BILLION, rate)
        for year, rate in ((2021, 980), (2022, 960), (2023, 940), (2024, 900), (2025, 610))
    ]
    + [
        ("06970", "1719-DA3-TDA1", year, 24 * BILLION, 120 * BILLION, rate)
        for year, rate in ((2022, 950), (2023, 900), (2024, 820), (2025, 430))
    ]
    + [
        ("06862", "1719-DA1", year, 16 * BILLION, 78 * BILLION, rate)
        for year, rate in ((2023, 990), (2024, 870), (2025, 280))
    ]
)
THANH_SON = "06973"  # Xã Thanh Sơn before 1 July 2025
NON_BUDGET_SPLIT = (("socialised", 6), ("people_contribution", 2), ("policy_credit", 2))  # tenths
BUDGET_SPLIT = (("central_investment", 7), ("local_budget", 3))


def _unit(code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(era=Era.CURRENT, code=code)


def _record(
    kind: str,
    year: int,
    unit: AdministrativeUnit,
    component: Component,
    source: CapitalSource,
    amount: int,
    number: str,
    date: datetime.date,
    to_year: int | None = None,
) -> bool:
    _record_obj, created = MoneyRecord.objects.get_or_create(
        kind=kind,
        year=year,
        to_year=to_year,
        unit=unit,
        component=component,
        source=source,
        document_no=f"{number} {LABEL}",
        defaults={"amount_vnd": amount, "document_date": date},
    )
    return created


def _quang_ninh(components: dict[str, Component], sources: dict[str, CapitalSource]) -> int:
    created = 0
    for unit_code, component_code, year, budget, non_budget, per_mille in QUANG_NINH_PLAN:
        unit, component = _unit(unit_code), components[component_code]
        for split, total in ((BUDGET_SPLIT, budget), (NON_BUDGET_SPLIT, non_budget)):
            for source_code, tenths in split:
                amount = total * tenths // 10
                source = sources[source_code]
                created += _record(
                    "plan",
                    year,
                    unit,
                    component,
                    source,
                    amount,
                    f"KH-{year}/{unit_code}",
                    datetime.date(year, 1, 15),
                )
                created += _record(
                    "allocation",
                    year,
                    unit,
                    component,
                    source,
                    amount,
                    f"GV-{year}/{unit_code}",
                    datetime.date(year, 3, 1),
                )
                # Disbursed in four instalments over the year, the last in the autumn.
                disbursed = amount * per_mille // 1000
                for number, month in enumerate((5, 7, 9, 11), start=1):
                    part = disbursed // 4 if number < 4 else disbursed - 3 * (disbursed // 4)
                    created += _record(
                        "disbursement",
                        year,
                        unit,
                        component,
                        source,
                        part,
                        f"GN-{year}/{unit_code}-{number}",
                        datetime.date(year, month, 20),
                    )
    return created


def _quang_ninh_before_2025(components: dict[str, Component], sources: dict[str, CapitalSource]) -> int:
    commune = AdministrativeUnit.objects.get(era=Era.PRE2025, code=THANH_SON)
    component, source = components["1719-DA4-TDA1"], sources["central_investment"]
    steps = [
        ("plan", 2_000_000_000, "KH-2022/06973", datetime.date(2022, 1, 20)),
        ("allocation", 2_000_000_000, "GV-2022/06973", datetime.date(2022, 3, 10)),
        ("disbursement", 900_000_000, "GN-2022/06973-1", datetime.date(2022, 6, 15)),
        ("disbursement", 1_000_000_000, "GN-2022/06973-2", datetime.date(2022, 10, 20)),
    ]
    return sum(
        _record(kind, 2022, commune, component, source, amount, number, date)
        for kind, amount, number, date in steps
    )


def _dien_bien(components: dict[str, Component], sources: dict[str, CapitalSource]) -> int:
    commune, component, source = _unit("03325"), components["1719-DA3-TDA1"], sources["central_recurrent"]
    steps = [
        ("plan", 2023, 3_000_000_000, "KH-2023/03325", datetime.date(2023, 1, 20), None),
        ("allocation", 2023, 3_000_000_000, "GV-2023/03325", datetime.date(2023, 4, 10), None),
        ("disbursement", 2023, 1_200_000_000, "GN-2023/03325", datetime.date(2023, 11, 28), None),
        ("extension", 2023, 1_800_000_000, "KD-2023/03325", datetime.date(2023, 12, 29), 2024),
        ("disbursement", 2023, 800_000_000, "GN-2024/03325-von2023", datetime.date(2024, 10, 15), None),
        ("extension", 2023, 1_000_000_000, "KD-2024/03325", datetime.date(2024, 12, 27), 2025),
        ("allocation", 2025, 1_500_000_000, "GV-2025/03325", datetime.date(2025, 3, 5), None),
        ("disbursement", 2025, 400_000_000, "GN-2025/03325", datetime.date(2025, 8, 12), None),
    ]
    created = sum(
        _record(kind, year, commune, component, source, amount, number, date, to_year)
        for kind, year, amount, number, date, to_year in steps
    )
    for name, kind, quantity, output_unit, households, total, status, progress, end in (
        (
            f"Mô hình trồng cà phê chè {LABEL}",
            "production_support",
            Decimal(50),
            "ha",
            42,
            1_800_000_000,
            "in_progress",
            55,
            datetime.date(2024, 12, 31),
        ),
        (
            f"Mô hình trồng mắc ca {LABEL}",
            "production_support",
            Decimal(30),
            "ha",
            25,
            1_200_000_000,
            "in_progress",
            35,
            datetime.date(2025, 12, 31),
        ),
        (
            f"Đường bản Che Căn {LABEL}",
            "road",
            Decimal("3.5"),
            "km",
            120,
            4_500_000_000,
            "in_progress",
            70,
            datetime.date(2025, 9, 30),
        ),
    ):
        _work, was_created = Work.objects.get_or_create(
            name=name,
            unit=commune,
            defaults={
                "component": component if kind == "production_support" else components["1719-DA4-TDA1"],
                "kind": kind,
                "investment_total_vnd": total,
                "output_quantity": quantity,
                "output_unit": output_unit,
                "households": households,
                "status": status,
                "progress_percent": progress,
                "start_date": datetime.date(2023, 5, 1),
                "planned_end_date": end,
            },
        )
        created += was_created
    model, was_created = RevolvingModel.objects.get_or_create(
        name=f"Bò cái sinh sản quay vòng {LABEL}",
        unit=commune,
        defaults={"component": component, "item": "1 bò cái sinh sản"},
    )
    created += was_created
    for sequence, household, received, due, handed in (
        (1, "MP-0012", datetime.date(2023, 6, 1), datetime.date(2025, 6, 1), datetime.date(2025, 5, 20)),
        (2, "MP-0047", datetime.date(2025, 5, 20), datetime.date(2025, 11, 20), None),
    ):
        _holding, was_created = RevolvingHolding.objects.get_or_create(
            model=model,
            sequence=sequence,
            defaults={
                "household_code": household,
                "received_on": received,
                "due_on": due,
                "handed_on": handed,
            },
        )
        created += was_created
    return created


BA_CHE = "06970"


def _pages_story(components: dict[str, Component], sources: dict[str, CapitalSource]) -> int:
    """An extension, disbursements tied to works and contributions past their allocation (see the top)."""
    ba_che, muong_phang = _unit(BA_CHE), _unit(MUONG_PHANG)
    component = components["1719-DA3-TDA1"]
    cinnamon, created = Work.objects.get_or_create(
        name=f"Mô hình trồng quế hữu cơ {LABEL}",
        unit=ba_che,
        defaults={
            "component": component,
            "kind": "production_support",
            "investment_total_vnd": 12 * BILLION,
            "output_quantity": Decimal(120),
            "output_unit": "ha",
            "households": 85,
            "status": "in_progress",
            "progress_percent": 60,
            "start_date": datetime.date(2024, 3, 15),
            "planned_end_date": datetime.date(2026, 6, 30),
        },
    )
    added = int(created)
    investment = sources["central_investment"]
    MoneyRecord.objects.filter(
        unit=ba_che, component=component, source=investment, kind="disbursement", year=2024, work=None
    ).update(work=cinnamon)
    coffee = Work.objects.filter(unit=muong_phang, name__startswith="Mô hình trồng cà phê chè").first()
    MoneyRecord.objects.filter(
        unit=muong_phang, document_no=f"GN-2024/03325-von2023 {LABEL}", work=None
    ).update(work=coffee)
    added += _record(
        "extension",
        2024,
        ba_che,
        component,
        investment,
        2 * BILLION,
        "KD-2024/06970",
        datetime.date(2024, 12, 30),
        to_year=2025,
    )
    contribution = sources["people_contribution"]
    allocated = MoneyRecord.objects.filter(
        unit=ba_che, component=component, source=contribution, year=2025, kind="allocation"
    ).aggregate(total=Sum("amount_vnd"))["total"]
    disbursed = (
        MoneyRecord.objects.filter(
            unit=ba_che, component=component, source=contribution, year=2025, kind="disbursement"
        )
        .exclude(document_no=f"GN-2025/06970-5 {LABEL}")
        .aggregate(total=Sum("amount_vnd"))["total"]
    )
    past_allocation = (allocated or 0) - (disbursed or 0) + 350_000_000
    for unit, steps in (
        (ba_che, [("disbursement", past_allocation, "GN-2025/06970-5", datetime.date(2025, 12, 5))]),
        (
            muong_phang,
            [
                ("allocation", 200_000_000, "GV-2025/03325-ND", datetime.date(2025, 3, 5)),
                ("disbursement", 260_000_000, "GN-2025/03325-ND", datetime.date(2025, 10, 20)),
            ],
        ),
    ):
        for kind, amount, number, date in steps:
            added += _record(kind, 2025, unit, component, contribution, amount, number, date)
    return added


HOUSING_COMPONENT, HOUSING_YEAR, HOUSING_AMOUNT = "1719-DA1", 2024, 40_000_000
# Written by earlier demos before support was linked to the registry: a code no household has.
LEGACY_HOUSING_CODE = "MP-0031"


def _housing_support(components: dict[str, Component]) -> tuple[int, str]:
    """Housing support to the first eligible synthetic household of Mường Phăng; how many rows, and who."""
    HouseholdSupport.objects.filter(
        household__isnull=True, household_code=LEGACY_HOUSING_CODE, description__contains=LABEL
    ).delete()
    present = HouseholdSupport.objects.filter(
        household__is_synthetic=True,
        household__village__parent__code=MUONG_PHANG,
        kind="housing",
        description__contains=LABEL,
    ).first()
    if present is not None:
        return 0, str(present.household_code)
    candidates = (
        Household.objects.filter(
            is_synthetic=True,
            dissolved_on__isnull=True,
            village__parent__code=MUONG_PHANG,
            assessments__cycle__year__lte=HOUSING_YEAR,
            assessments__status__in=sorted(eligibility.POOR_OR_NEAR_POOR),
        )
        .distinct()
        .select_related("village")
        .order_by("code")
    )
    for household in candidates.iterator():
        decision = support_eligibility(household=household, kind="housing", year=HOUSING_YEAR)
        if decision.eligible:
            HouseholdSupport.objects.create(
                unit=household.village,
                household=household,
                household_code=household.code,
                component=components[HOUSING_COMPONENT],
                year=HOUSING_YEAR,
                kind="housing",
                amount_vnd=HOUSING_AMOUNT,
                description=f"Hỗ trợ làm nhà {LABEL}",
                recorded_status=decision.status or "unknown",
                status_year=decision.status_year,
                recorded_deprivations=sorted(decision.deprivations),
            )
            return 1, household.code
    return 0, ""


@transaction.atomic
def money_demo_ensure() -> str:
    """Seed the illustrative money story; return a line saying what was added."""
    components = {c.code: c for c in Component.objects.all()}
    sources = {s.code: s for s in CapitalSource.objects.all()}
    added = _quang_ninh(components, sources) + _quang_ninh_before_2025(components, sources)
    added += _dien_bien(components, sources)
    added += _pages_story(components, sources)
    demo_units = MoneyRecord.objects.filter(document_no__endswith=f" {LABEL}").values_list("unit", flat=True)
    money_totals_refresh(demo_units.order_by().distinct())
    support_added, household = _housing_support(components)
    support = (
        f"housing support to synthetic household {household} of Mường Phăng ({MUONG_PHANG})"
        if household
        else f"no housing support: no synthetic household of Mường Phăng ({MUONG_PHANG}) is poor or "
        "near-poor with a housing deprivation in the registry demo"
    )
    return (
        f"demo programme money (illustrative, marked {LABEL}): {added + support_added} rows added; {support}"
    )
