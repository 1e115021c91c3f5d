"""Money records made through the service, as an administrator, for the tests that read them; registry
households with their recorded status by review year, for the tests of support."""

from vungcao.accounts.models import Role, User
from vungcao.geo.models import AdministrativeUnit, Era
from vungcao.geo.services import villages
from vungcao.programs import eligibility
from vungcao.programs.models import MoneyRecord, MoneyTotal
from vungcao.programs.services.money import money_record_create
from vungcao.registry import classification
from vungcao.registry.models import Area, Assessment, CommuneReview, Household, ReviewCycle
from vungcao.registry.rollups import review_rollups_refresh

STANDARD = "vn-2022-2025"


def admin() -> User:
    user, _created = User.objects.get_or_create(username="money-admin", defaults={"role": Role.ADMINISTRATOR})
    return user


def record(
    kind: str,
    year: int,
    unit_code: str,
    amount: int | str,
    *,
    component: str = "1719-DA4-TDA1",
    source: str = "central_investment",
    era: str = "current",
    to_year: int | None = None,
    document_no: str | None = None,
    document_date: str | None = None,
) -> MoneyRecord:
    values = {
        "kind": kind,
        "year": year,
        "to_year": to_year,
        "era": era,
        "unit_code": unit_code,
        "component": component,
        "source": source,
        "amount_vnd": amount,
        "document_no": document_no or f"{kind}-{year}-{unit_code}-{component}-{source}-{to_year}",
        "document_date": document_date or f"{year}-03-01",
    }
    return money_record_create(user=admin(), values=values)


def money_totals_of(unit_code: str) -> list[tuple[str, str, int, str, int | None, bool, int, int]]:
    """A current unit's money totals: component, source, year, kind, year extended into, superseded, amount,
    records."""
    return sorted(
        MoneyTotal.objects.filter(unit__era=Era.CURRENT, unit__code=unit_code).values_list(
            "component__code",
            "source__code",
            "year",
            "kind",
            "to_year",
            "superseded",
            "amount_vnd",
            "records",
        )
    )


def household(
    code: str, commune_code: str, assessments: dict[int, tuple[str, set[str]]] | None = None
) -> Household:
    """A registry household in the commune's first village (made if missing), with its status and
    deprivations (by indicator identifier) recorded in each given review year (standard vn-2022-2025)."""
    commune = AdministrativeUnit.objects.get(era=Era.CURRENT, code=commune_code)
    village = commune.children.order_by("code").first() or villages.village_create(
        user=admin(), commune=commune, name="Thôn Một"
    )
    created = Household.objects.create(code=code, village=village, area=Area.RURAL, head_ethnic_group="01")
    indicators = [item.identifier for item in classification.standard(STANDARD).indicators]
    for year, (status, deprived) in (assessments or {}).items():
        cycle, _ = ReviewCycle.objects.get_or_create(
            province=commune.parent, year=year, defaults={"standard_identifier": STANDARD}
        )
        review, _ = CommuneReview.objects.get_or_create(
            cycle=cycle, commune=commune, defaults={"state": CommuneReview.State.APPROVED}
        )
        Assessment.objects.create(
            cycle=cycle,
            year=year,
            household=created,
            commune_review=review,
            area=Area.RURAL,
            income_per_capita_month=1_000_000,
            status=status,
            deprived_mask=sum(1 << indicators.index(name) for name in deprived),
            deprivation_count=len(deprived),
            standard_identifier=STANDARD,
        )
        review_rollups_refresh([review.pk], households=[created.pk])
    return created


def housing_missing(*, labelled: bool = True) -> str:
    """The refusal for a missing housing deprivation, naming the indicators as the standard does
    (in Vietnamese, the default language) or by their codes when no review recorded a status."""
    names = ("housing_area", "housing_quality")
    if labelled:
        rule = classification.standard(STANDARD)
        names = tuple(rule.indicator(name).label.in_language("vi") for name in names)
    return str(eligibility.DEPRIVATION_MISSING).format(indicators=", ".join(names))
