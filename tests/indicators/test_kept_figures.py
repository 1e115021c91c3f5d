"""Figures of entered indicators kept by each process until their values change (``selectors.kept``).

Given Quảng Ninh's communes' households on the national grid in 2025, entered, when they are read twice
then the second read takes the figures the first made; when any write of the values (the service, the
API, an import, the admin, the demo) or of the indicators' definitions comes between, the next read shows
it; a write rolled back does not, and leaves the stored revision; a write of one indicator's values keeps
another's figures. Figures made of records, of a group, or of values written around the services (no
revision) are made on every read: of records, only those of the units whose records changed, and the
units above them. A reader never gets figures kept for a reader who sees more.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import RequestFactory
from django.utils import translation

from tests.conftest import BA_CHE, QUANG_NINH, TIEN_YEN, current_unit
from tests.imports.helpers import preview_and_apply
from tests.indicators.helpers import entered, national_admin, post, review_whole
from tests.programs.helpers import household
from vungcao.accounts.models import User
from vungcao.geo.models import Era
from vungcao.indicators.admin import IndicatorValueAdmin
from vungcao.indicators.demo import indicators_demo_ensure
from vungcao.indicators.models import (
    IndicatorValue,
    IndicatorValueChange,
    IndicatorValueRevision,
    UnitGroup,
)
from vungcao.indicators.selectors import figures, values
from vungcao.indicators.selectors.catalogue import catalogue_for
from vungcao.indicators.selectors.figures import IndicatorFigures, indicator_figures
from vungcao.indicators.selectors.kept import KeptByRevision
from vungcao.indicators.services import indicator_value_delete, indicator_value_update, revisions
from vungcao.indicators.services.definitions import indicator_create, indicator_update
from vungcao.programs.selectors.money import country
from vungcao.registry.models import CommuneReview

pytestmark = pytest.mark.django_db

GRID, POWER = "households_on_national_grid", "households_with_electricity"
YEAR = 2025


def pivot(user: User, *codes: str, language: str = "en") -> IndicatorFigures:
    """Quảng Ninh and its communes in 2025, as ``user`` reads them."""
    with translation.override(language):
        return indicator_figures(
            user=user,
            indicator_codes=codes or (GRID,),
            unit=current_unit(QUANG_NINH),
            years=[YEAR],
            children=True,
        )


def shown(found: IndicatorFigures, code: str = GRID) -> dict[str, Decimal | None]:
    """Each row's value of ``code``, by unit code."""
    return {row.unit.code: row.figures[(code, YEAR)].value for row in found.rows}


def national(user: User, *codes: str) -> IndicatorFigures:
    """The whole country and its provinces in 2025, as ``user`` reads them."""
    return indicator_figures(
        user=user, indicator_codes=codes, unit=country(era=Era.CURRENT), years=[YEAR], children=True
    )


def made_afresh(user: User, *codes: str, read: Callable[..., IndicatorFigures] = pivot) -> IndicatorFigures:
    """``read`` with nothing kept from earlier reads (and what is kept left as it was)."""
    kept, earlier = figures._kept_rows, figures._earlier
    figures._kept_rows, figures._earlier = KeptByRevision(), KeptByRevision()
    try:
        return read(user, *codes)
    finally:
        figures._kept_rows, figures._earlier = kept, earlier


def everything(found: IndicatorFigures) -> list[tuple[object, ...]]:
    """Each figure's value, reason and contributions."""
    return [
        (row.unit, row.name, key, figure.value, found.reason(figure), figure.contributions)
        for row in found.rows
        for key, figure in sorted(row.figures.items())
    ]


def revision(code: str) -> str | None:
    return IndicatorValueRevision.objects.filter(indicator=code).values_list("token", flat=True).first()


def admin_of_values() -> IndicatorValueAdmin:
    return IndicatorValueAdmin(IndicatorValue, admin.site)


ADMIN_REQUEST = RequestFactory().post("/admin/")


def changed_in_the_admin(stored: IndicatorValue) -> None:
    stored.value = Decimal(1900)
    admin_of_values().save_model(ADMIN_REQUEST, stored, None, True)


# Each write of Ba Chẽ's value (1,800 households) and the value the next read shows.
WRITES: dict[str, tuple[Callable[[IndicatorValue], Any], Decimal | None]] = {
    "entered again": (lambda stored: entered(GRID, "current", BA_CHE, YEAR, 1900), Decimal(1900)),
    "corrected": (
        lambda stored: indicator_value_update(
            user=national_admin(), value_id=stored.pk, values={"value": "1900", "note": ""}
        ),
        Decimal(1900),
    ),
    "removed": (lambda stored: indicator_value_delete(user=national_admin(), value_id=stored.pk), None),
    "entered through the API": (
        lambda stored: post(
            national_admin(),
            "/api/v1/indicator-values",
            {"indicator": GRID, "era": "current", "unit_code": BA_CHE, "year": YEAR, "value": "1900"},
        ),
        Decimal(1900),
    ),
    "imported": (
        lambda stored: preview_and_apply(
            "indicator_values",
            f"indicator,era,unit_code,year,value\n{GRID},current,{BA_CHE},{YEAR},1900\n",
            user=national_admin(),
        ),
        Decimal(1900),
    ),
    "changed in the admin": (changed_in_the_admin, Decimal(1900)),
    "deleted in the admin": (lambda stored: admin_of_values().delete_model(ADMIN_REQUEST, stored), None),
    "deleted from the admin's list": (
        lambda stored: admin_of_values().delete_queryset(
            ADMIN_REQUEST, IndicatorValue.objects.filter(pk=stored.pk)
        ),
        None,
    ),
}


def test_figures_are_read_once_until_their_values_change(analyst: User) -> None:
    entered(GRID, "current", BA_CHE, YEAR, 1800)

    first, again = pivot(analyst), pivot(analyst)

    assert shown(first)[BA_CHE] == Decimal(1800)
    assert again.rows[0] is first.rows[0]


@pytest.mark.parametrize("write", WRITES, ids=list(WRITES))
def test_every_write_of_the_values_is_in_the_figures_read_next(analyst: User, write: str) -> None:
    stored = entered(GRID, "current", BA_CHE, YEAR, 1800)
    entered(GRID, "current", TIEN_YEN, YEAR, 2500)
    before = pivot(analyst)
    token = revision(GRID)
    change, expected = WRITES[write]

    change(stored)
    after = pivot(analyst)

    assert shown(before)[BA_CHE] == Decimal(1800)
    assert shown(after)[BA_CHE] == expected
    assert shown(after)[TIEN_YEN] == Decimal(2500)
    assert revision(GRID) not in {None, token}
    assert everything(after) == everything(made_afresh(analyst))


def test_figures_made_after_values_were_added_corrected_and_removed_are_those_made_afresh(
    analyst: User,
) -> None:
    """The figures made after each write take what was made before it of the units whose values stay
    the same (``values.Earlier``): the same as made with nothing kept, values and reasons alike."""
    stored = entered(GRID, "current", BA_CHE, YEAR, 1800)
    made = [pivot(analyst, GRID, POWER)]
    whole = [national(analyst, GRID, POWER)]
    for write in (
        lambda: entered(GRID, "current", TIEN_YEN, YEAR, 2500),
        lambda: entered(POWER, "current", TIEN_YEN, YEAR, 2400),
        lambda: indicator_value_update(
            user=national_admin(), value_id=stored.pk, values={"value": "1900", "note": ""}
        ),
        lambda: indicator_value_delete(user=national_admin(), value_id=stored.pk),
    ):
        write()
        made.append(pivot(analyst, GRID, POWER))
        whole.append(national(analyst, GRID, POWER))
        assert everything(made[-1]) == everything(made_afresh(analyst, GRID, POWER))
        assert everything(whole[-1]) == everything(made_afresh(analyst, GRID, POWER, read=national))
    assert [shown(found)[BA_CHE] for found in made] == [1800, 1800, 1800, 1900, None]
    assert [shown(found)[QUANG_NINH] is None for found in whole] == [True] * 5  # its other communes: none


def test_a_value_moved_to_another_indicator_in_the_admin_changes_the_figures_of_both(analyst: User) -> None:
    stored = entered(GRID, "current", BA_CHE, YEAR, 1800)
    entered(POWER, "current", TIEN_YEN, YEAR, 2500)
    before = pivot(analyst, GRID, POWER)

    stored.indicator = POWER
    admin_of_values().save_model(ADMIN_REQUEST, stored, None, True)
    after = pivot(analyst, GRID, POWER)

    assert (shown(before, GRID)[BA_CHE], shown(before, POWER)[BA_CHE]) == (Decimal(1800), None)
    assert (shown(after, GRID)[BA_CHE], shown(after, POWER)[BA_CHE]) == (None, Decimal(1800))


def test_a_write_of_one_indicator_keeps_the_figures_of_another(analyst: User) -> None:
    entered(GRID, "current", BA_CHE, YEAR, 1800)
    entered(POWER, "current", BA_CHE, YEAR, 1700)
    grid = pivot(analyst, GRID)

    entered(POWER, "current", BA_CHE, YEAR, 1750)

    assert pivot(analyst, GRID).rows[0] is grid.rows[0]
    assert shown(pivot(analyst, POWER), POWER)[BA_CHE] == Decimal(1750)


def test_a_write_rolled_back_leaves_the_stored_revision_and_its_figures(analyst: User) -> None:
    entered(GRID, "current", BA_CHE, YEAR, 1800)
    before = pivot(analyst)
    token = revision(GRID)

    with transaction.atomic():
        entered(GRID, "current", BA_CHE, YEAR, 1900)
        inside = pivot(analyst)  # made and kept under the revision of the write, never stored
        transaction.set_rollback(True)
    after = pivot(analyst)

    assert shown(inside)[BA_CHE] == Decimal(1900)
    assert revision(GRID) == token
    assert shown(after)[BA_CHE] == Decimal(1800)
    assert after.rows[0] is before.rows[0]


@pytest.fixture
def full_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The indicators of each read of all the entered values (``values._entered``), as it happens."""
    reads: list[str] = []
    read_all = values._entered

    def counted(user: User, roots: Any, wanted: dict[str, set[int]]) -> Any:
        reads.append(",".join(sorted(wanted)))
        return read_all(user, roots, wanted)

    monkeypatch.setattr(values, "_entered", counted)
    return reads


def test_after_a_write_only_the_values_it_changed_are_read(analyst: User, full_reads: list[str]) -> None:
    """The log of the writes (``IndicatorValueChange``) tells a process holding the values of an earlier
    revision which units and years changed since: it reads those, not every value again."""
    stored = entered(GRID, "current", BA_CHE, YEAR, 1800)
    entered(GRID, "current", TIEN_YEN, YEAR, 2500)
    pivot(analyst)
    full_reads.clear()

    indicator_value_update(user=national_admin(), value_id=stored.pk, values={"value": "1900", "note": ""})
    entered(GRID, "current", BA_CHE, YEAR - 1, 1700)  # another year: logged, not read by this pivot
    indicator_value_delete(user=national_admin(), value_id=IndicatorValue.objects.get(unit__code=TIEN_YEN).pk)
    after = pivot(analyst)

    assert full_reads == []
    assert shown(after)[BA_CHE] == Decimal(1900)
    assert shown(after)[TIEN_YEN] is None
    assert everything(after) == everything(made_afresh(analyst))
    logged = IndicatorValueChange.objects.filter(indicator=GRID).order_by("number")
    ba_che, tien_yen = current_unit(BA_CHE).pk, current_unit(TIEN_YEN).pk
    assert list(logged.values_list("unit_id", "year"))[-3:] == [
        (ba_che, YEAR),
        (ba_che, YEAR - 1),
        (tien_yen, YEAR),
    ]


@pytest.mark.parametrize("limit", ["LOGGED_AT_MOST", "LOGGED_WRITES"])
def test_writes_the_log_does_not_hold_make_every_value_read_again(
    analyst: User, full_reads: list[str], monkeypatch: pytest.MonkeyPatch, limit: str
) -> None:
    """A write of more values than are logged, or writes older than the log keeps, cannot be read from
    the log: every value is read again, and the figures are those made afresh."""
    monkeypatch.setattr(revisions, limit, 0)
    stored = entered(GRID, "current", BA_CHE, YEAR, 1800)
    pivot(analyst)
    full_reads.clear()

    indicator_value_update(user=national_admin(), value_id=stored.pk, values={"value": "1900", "note": ""})
    after = pivot(analyst)

    assert full_reads == [GRID]
    assert shown(after)[BA_CHE] == Decimal(1900)
    assert everything(after) == everything(made_afresh(analyst))


def test_the_log_keeps_the_last_writes_of_each_indicator(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each write is numbered and logs the units and years it changed; the log keeps the last
    ``LOGGED_WRITES`` of each indicator, and says from which write on it holds them all."""
    monkeypatch.setattr(revisions, "LOGGED_WRITES", 2)
    for value in range(5):
        entered(GRID, "current", BA_CHE, YEAR, 1800 + value)
    entered(POWER, "current", BA_CHE, YEAR, 1700)

    stored = IndicatorValueRevision.objects.get(indicator=GRID)
    logged = IndicatorValueChange.objects.filter(indicator=GRID).order_by("number")
    assert (stored.number, stored.logged_after) == (5, 3)
    assert list(logged.values_list("number", "token")) == [(4, mock.ANY), (5, stored.token)]
    assert IndicatorValueChange.objects.filter(indicator=POWER).count() == 1


def test_a_revision_read_in_a_write_rolled_back_is_never_taken_for_the_write_committed_after(
    analyst: User,
) -> None:
    """A process reads its own write inside the transaction that rolls back, holding values of a revision
    never stored; the next write committed takes the same number: the log's token tells them apart, so
    the next read is of every value, not of what the committed write changed alone."""
    entered(GRID, "current", BA_CHE, YEAR, 1800)
    entered(GRID, "current", TIEN_YEN, YEAR, 2500)
    pivot(analyst)
    with transaction.atomic():
        entered(GRID, "current", BA_CHE, YEAR, 1900)
        inside = pivot(analyst)
        transaction.set_rollback(True)

    entered(GRID, "current", TIEN_YEN, YEAR, 2600)
    after = pivot(analyst)

    assert shown(inside)[BA_CHE] == Decimal(1900)
    assert (shown(after)[BA_CHE], shown(after)[TIEN_YEN]) == (Decimal(1800), Decimal(2600))
    assert everything(after) == everything(made_afresh(analyst))


def test_a_changed_definition_is_in_the_figures_read_next(province_officer: User) -> None:
    """Quảng Ninh's own indicator, the grid's households with the electrified ones added, then taken away."""
    entered(GRID, "current", BA_CHE, YEAR, 1800)
    entered(POWER, "current", BA_CHE, YEAR, 1700)
    definition = {
        "code": "qn_grid_and_power",
        "name_vi": "Hộ có điện lưới và hộ có điện",
        "name_en": "Households on the grid and with electricity",
        "unit": "households",
        "kind": "derived",
        "aggregation": "recompute",
        "source": "Sở Công Thương",
        "formula": {"op": "sum", "terms": [GRID, POWER]},
    }
    indicator_create(user=province_officer, values=definition)
    summed = pivot(province_officer, "qn_grid_and_power")

    indicator_update(
        user=province_officer,
        code="qn_grid_and_power",
        values={**definition, "formula": {"op": "difference", "minuend": GRID, "subtrahend": POWER}},
    )
    subtracted = pivot(province_officer, "qn_grid_and_power")

    assert shown(summed, "qn_grid_and_power")[BA_CHE] == Decimal(3500)
    assert shown(subtracted, "qn_grid_and_power")[BA_CHE] == Decimal(100)


def test_each_language_has_its_figures(analyst: User) -> None:
    entered(GRID, "current", BA_CHE, YEAR, 1800)
    whole = {"unit": country(era=Era.CURRENT), "indicator_codes": [GRID], "years": [YEAR]}

    with translation.override("vi"):
        vietnamese = indicator_figures(user=analyst, **whole)
    with translation.override("en"):
        english = indicator_figures(user=analyst, **whole)

    assert (vietnamese.rows[0].name, english.rows[0].name) == ("Toàn quốc", "Whole country")


def test_figures_of_records_groups_or_values_without_a_revision_are_made_each_time(analyst: User) -> None:
    IndicatorValue.objects.create(indicator=GRID, unit=current_unit(BA_CHE), year=YEAR, value=1800)
    group = UnitGroup.objects.create(name="Ba Chẽ", era=Era.CURRENT, owner=current_unit(QUANG_NINH))
    group.members.set([current_unit(BA_CHE)])

    unrevised = [pivot(analyst) for _ in range(2)]
    recorded = [pivot(analyst, "households") for _ in range(2)]
    grouped = [
        indicator_figures(user=analyst, indicator_codes=[GRID], group=group, years=[YEAR]) for _ in range(2)
    ]
    IndicatorValue.objects.filter(unit__code=BA_CHE).update(value=1900)  # around the services too

    assert shown(unrevised[0])[BA_CHE] == Decimal(1800)
    assert shown(pivot(analyst))[BA_CHE] == Decimal(1900)
    for first, second in (unrevised, recorded, grouped):
        assert first.rows[0] is not second.rows[0]


RECORDED = ("poor_households", "poverty_rate", "mpi_households")


def test_figures_of_records_are_made_again_only_where_the_records_changed(analyst: User) -> None:
    """Records have no revision: each read reads them, takes the figures made before of the units whose
    records and values stay the same, and makes again those of the units whose records changed and the
    units above them (a poor household assessed in Ba Chẽ: Ba Chẽ and Quảng Ninh, not Tiên Yên)."""
    household("BC-1", BA_CHE, {YEAR: ("poor", set())})
    household("TY-1", TIEN_YEN, {YEAR: ("not_poor", set())})
    review_whole(QUANG_NINH)
    first = pivot(analyst, *RECORDED)
    again = pivot(analyst, *RECORDED)

    household("BC-2", BA_CHE, {YEAR: ("poor", set())})
    after = pivot(analyst, *RECORDED)

    assert everything(again) == everything(first)
    assert all(
        again_row.figures[key] is first_row.figures[key]
        for first_row, again_row in zip(first.rows, again.rows, strict=True)
        for key in first_row.figures
    )
    assert everything(after) == everything(made_afresh(analyst, *RECORDED))
    assert shown(after, "poor_households")[BA_CHE] == 2
    made_again = {
        after_row.unit.code
        for first_row, after_row in zip(first.rows, after.rows, strict=True)
        for key in first_row.figures
        if after_row.figures[key] is not first_row.figures[key]
    }
    assert made_again == {QUANG_NINH, BA_CHE}


def test_a_review_no_longer_approved_is_in_the_figures_read_next(analyst: User) -> None:
    """Records are read on every request: a commune's review sent back (written around the services, as
    any write of the registry could be) takes its count out of the commune's and the province's figures
    read next, as if nothing were kept."""
    household("BC-1", BA_CHE, {YEAR: ("poor", set())})
    review_whole(QUANG_NINH)
    before = pivot(analyst, *RECORDED)

    CommuneReview.objects.filter(commune__code=BA_CHE).update(state=CommuneReview.State.RETURNED)
    after = pivot(analyst, *RECORDED)

    assert shown(before, "poor_households")[BA_CHE] == 1
    assert shown(after, "poor_households")[BA_CHE] is None
    assert shown(after, "poor_households")[QUANG_NINH] is None
    assert everything(after) == everything(made_afresh(analyst, *RECORDED))


def test_kept_figures_never_show_a_value_the_reader_may_not_see(analyst: User, commune_officer: User) -> None:
    """Ba Chẽ's officer asks for the province after the analyst (the selector narrows what a page would
    refuse): only Ba Chẽ's value, as if nothing were kept."""
    entered(GRID, "current", BA_CHE, YEAR, 1800)
    entered(GRID, "current", TIEN_YEN, YEAR, 2500)
    national = pivot(analyst)

    officer = pivot(commune_officer)

    assert shown(national)[TIEN_YEN] == Decimal(2500)
    assert TIEN_YEN not in shown(officer)
    contributed = {
        contribution.unit.code
        for row in officer.rows
        for figure in row.figures.values()
        for contribution in figure.contributions
    }
    assert contributed <= {BA_CHE}
    assert officer.rows[0] is not national.rows[0]


def test_the_values_the_demo_enters_are_in_the_figures_read_next(administrator: User) -> None:
    road = "communes_with_hardened_road"
    User.objects.create(username="admin", role=administrator.role)
    entered(road, "current", TIEN_YEN, YEAR, 1)
    before = pivot(administrator, road)
    assert pivot(administrator, road).rows[0] is before.rows[0]

    indicators_demo_ensure()
    after = pivot(administrator, road)

    entered_before = {code for code, value in shown(before, road).items() if value is not None}
    entered_after = {code for code, value in shown(after, road).items() if value is not None}
    assert entered_before == {TIEN_YEN}
    assert entered_after > entered_before


def test_a_value_written_leaves_earlier_figures_but_those_of_its_unit_and_the_units_above(
    analyst: User,
) -> None:
    """What a resolver takes from the one before a write (``values.Earlier``): the figures made within
    their era of every unit but the one whose value was written and those above it (its province and the
    whole country), whose sums it changes; the figures across the crosswalk of those and of the units the
    crosswalk links them to (Tiên Yên's former communes and their districts and province) and above."""
    entered(GRID, "current", BA_CHE, YEAR, 1800)
    whole = country(era=Era.CURRENT)
    catalogue = catalogue_for(user=analyst)
    reading = values.reading_for(user=analyst, catalogue=catalogue, codes=[GRID], years=[YEAR], units=[whole])
    resolver, found = values.reading_resolver(
        user=analyst, catalogue=catalogue, reading=reading, revisions=values.entered_revisions(reading)
    )
    resolver.pivot(indicator=GRID, units=[values.unit_ref(whole)], years=[YEAR])
    earlier = values.earlier_of(resolver, found)

    entered(GRID, "current", TIEN_YEN, YEAR, 2500)
    changed = values._changed_since(analyst, reading, earlier, values.entered_revisions(reading))
    assert changed is not None
    rows = [*earlier.rows, *changed.added]
    _values, _inventory, known = values._after(reading.places, earlier, values.NO_RECORDS, rows, changed)

    above = {values.unit_ref(current_unit(code)) for code in (TIEN_YEN, QUANG_NINH)} | {
        values.unit_ref(whole)
    }
    made = {unit for _code, unit, crossing in earlier.made if not crossing}
    taken = {unit for _code, unit, crossing in known if not crossing}
    assert made - taken == above & made
    assert values.unit_ref(current_unit(QUANG_NINH)) in made - taken
    assert values.unit_ref(current_unit(BA_CHE)) in taken
