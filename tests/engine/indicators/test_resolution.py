"""Figures over the tree and the crosswalk: counts add, rates are recomputed, what cannot be combined
is refused with its reason, and every figure says what it was made of."""

import gc
import weakref
from decimal import Decimal

import pytest

from tests.engine.indicators.catalogues import small_catalogue
from tests.engine.indicators.places import CROSSWALK, P02, P08, TREE, A, B, C, D, X, Y, Z, resolver
from vungcao.engine.indicators.definitions import Origin
from vungcao.engine.indicators.figures import (
    Contribution,
    Datum,
    Figure,
    ProvenanceSummary,
    UnitRef,
    rounded,
    shown_value,
    summarise_provenance,
)
from vungcao.engine.indicators.resolution import Resolver, UnknownIndicator
from vungcao.engine.indicators.sources import MemoryCrosswalk, MemoryTree, MemoryValues
from vungcao.engine.text import Label

YEAR = 2020
ONE = Decimal(1)


def households(**by_unit: int) -> dict:
    units = {"A": A, "B": B, "C": C, "D": D, "X": X, "Y": Y, "Z": Z, "P02": P02, "P08": P08}
    return {("households", units[name], YEAR): value for name, value in by_unit.items()}


def value(resolver: Resolver, unit, indicator: str = "households", year: int = YEAR) -> Decimal | None:
    return resolver.figure(indicator=indicator, unit=unit, year=year).value


def reason(resolver: Resolver, unit, indicator: str = "households", year: int = YEAR) -> str:
    found = resolver.figure(indicator=indicator, unit=unit, year=year).reason
    assert found is not None
    return found.en


def entered(indicator: str, unit, amount: int | str, share: Decimal = ONE, year: int = YEAR) -> Contribution:
    return Contribution(indicator, unit, year, Decimal(amount), share, Origin.ENTERED, f"entry-{unit.code}")


# Counts and amounts --------------------------------------------------------------------------------


def test_a_unit_s_own_datum_wins_over_the_sum_of_its_parts() -> None:
    given = resolver(households(P02=1000, A=10, B=20, C=30, D=40))

    figure = given.figure(indicator="households", unit=P02, year=YEAR)

    assert figure == Figure("households", P02, YEAR, Decimal(1000), None, (entered("households", P02, 1000),))


def test_a_count_adds_up_the_tree_with_every_part_in_its_provenance() -> None:
    given = resolver(households(A=10, B=20, C=30, D=40))

    figure = given.figure(indicator="households", unit=P02, year=YEAR)

    assert figure.value == Decimal(100)
    assert figure.reason is None
    assert figure.contributions == tuple(
        entered("households", unit, amount) for unit, amount in ((A, 10), (B, 20), (C, 30), (D, 40))
    )


def test_a_partial_sum_is_no_figure_and_the_reason_names_the_missing_units() -> None:
    given = resolver(households(A=10, B=20))

    figure = given.figure(indicator="households", unit=P02, year=YEAR)

    assert figure.value is None
    assert figure.contributions == ()
    assert figure.reason == Label(
        "Thiếu số liệu của 2/4 đơn vị thuộc Tỉnh Hà Giang: Xã C, Xã D.",
        "No data for 2 of the 4 units under Tỉnh Hà Giang: Xã C, Xã D.",
    )


def test_no_part_with_data_is_plain_no_data() -> None:
    given = resolver({})

    assert reason(given, P02) == "No data for Tỉnh Hà Giang in 2020."
    assert reason(given, A) == "No data for Xã A in 2020."


def test_a_current_unit_is_the_share_weighted_sum_of_its_former_units() -> None:
    given = resolver(households(A=10, B=20, C=30, D=40))

    assert [value(given, unit) for unit in (X, Y, Z, P08)] == [
        Decimal("54.0"),  # 10 + 20 + 0.6 × 40
        Decimal(30),
        Decimal("16.0"),  # 0.4 × 40
        Decimal("100.0"),
    ]
    assert given.figure(indicator="households", unit=X, year=YEAR).contributions == (
        entered("households", A, 10),
        entered("households", B, 20),
        entered("households", D, 40, Decimal("0.6")),
    )


def test_a_current_province_is_carried_from_its_former_province_when_only_that_has_data() -> None:
    given = resolver(households(P02=1000))

    figure = given.figure(indicator="households", unit=P08, year=YEAR)

    assert figure.value == Decimal(1000)
    assert figure.contributions == (entered("households", P02, 1000),)


def test_a_province_s_history_crosses_whole_where_only_some_communes_are_linked() -> None:
    """Given a crosswalk that links only the communes whose codes the new ones kept (A → X, C → Y), and the
    provinces whole, then the province's history is its former province's, whole (100), not the sum of
    its communes' linked parts (40); a commune's is its linked former commune's."""
    anchors_only = MemoryCrosswalk([(A, X, ONE), (C, Y, ONE), (P02, P08, ONE)])
    data = {
        key: Datum(Decimal(amount), Origin.ENTERED, f"entry-{key[1].code}")
        for key, amount in households(A=10, B=20, C=30, D=40).items()
    }
    given = Resolver(
        catalogue=small_catalogue(), values=MemoryValues(data), tree=TREE, crosswalk=anchors_only
    )

    assert value(given, P08) == Decimal(100)
    assert value(given, X) == Decimal(10)
    assert value(given, Z) is None


def test_a_current_unit_missing_some_former_units_has_no_figure_and_says_which() -> None:
    given = resolver(households(A=10, D=40))

    assert reason(given, X) == "No data for 1 of the 3 former units that make up Xã X: Xã B."
    assert reason(given, P08) == "No data for 2 of the 3 units under Tỉnh Tuyên Quang: Xã X, Xã Y."
    assert value(given, Z) == Decimal("16.0")


def test_a_renamed_former_unit_takes_the_figure_of_its_new_unit() -> None:
    given = resolver(households(Y=77))

    figure = given.figure(indicator="households", unit=C, year=YEAR)

    assert (figure.unit, figure.value) == (C, Decimal(77))
    assert figure.contributions == (entered("households", Y, 77),)


def test_a_new_unit_s_figure_is_never_split_back_into_its_former_units() -> None:
    given = resolver(households(X=99, Z=5))

    assert reason(given, A) == (
        "The data for 2020 exist only under the new units (Xã X); a new unit's figure cannot be split back "
        "into Xã A."
    )
    assert reason(given, D) == (
        "The data for 2020 exist only under the new units (Xã X, Xã Z); a new unit's figure cannot be split "
        "back into Xã D."
    )


def test_a_former_province_renamed_whole_takes_the_new_province_s_figure() -> None:
    given = resolver(households(P08=5000))

    assert value(given, P02) == Decimal(5000)


def test_a_reason_names_at_most_five_units_and_counts_the_rest() -> None:
    province = UnitRef("pre2025", "99")
    communes = [UnitRef("pre2025", f"9900{number}") for number in range(8)]
    given = Resolver(
        catalogue=small_catalogue(),
        values=MemoryValues({("households", communes[0], YEAR): Datum(ONE, Origin.ENTERED)}),
        tree=MemoryTree({province: communes}),
        crosswalk=MemoryCrosswalk([]),
    )

    assert reason(given, province) == (
        "No data for 7 of the 8 units under 99: 99001, 99002, 99003, 99004, 99005 and 2 more."
    )


# Values that cannot be combined --------------------------------------------------------------------


def test_a_value_entered_without_its_parts_is_shown_for_its_own_unit_only() -> None:
    given = resolver(
        {("reported_rate", A, YEAR): "12.5", ("reported_rate", B, YEAR): "20", ("reported_rate", C, YEAR): 7}
    )

    assert value(given, A, "reported_rate") == Decimal("12.5")
    assert value(given, Y, "reported_rate") == Decimal(7)  # Y is C renamed
    assert reason(given, P02, "reported_rate") == (
        "Entered for each unit without its parts; cannot be combined for Tỉnh Hà Giang."
    )
    assert given.figure(indicator="reported_rate", unit=X, year=YEAR).reason == Label(
        "Chỉ tiêu được nhập cho từng đơn vị, không kèm các thành phần; không thể tổng hợp cho Xã X.",
        "Entered for each unit without its parts; cannot be combined for Xã X.",
    )
    assert (
        reason(given, D, "reported_rate")
        == "Entered for each unit without its parts; cannot be combined for Xã D."
    )
    assert (
        reason(given, Z, "reported_rate")
        == "Entered for each unit without its parts; cannot be combined for Xã Z."
    )


def test_an_uncombinable_value_of_a_unit_without_parts_or_links_is_plain_no_data() -> None:
    given = resolver({})

    assert reason(given, UnitRef("current", "77777"), "reported_rate") == "No data for 77777 in 2020."
    assert reason(given, Y, "reported_rate") == "No data for Xã Y in 2020."


# Derived indicators -------------------------------------------------------------------------------


def rates_data() -> dict:
    data = households(A=100, B=200, C=300, D=400)
    for unit, poor in ((A, 50), (B, 20), (C, 30), (D, 40)):
        data[("poor_households", unit, YEAR)] = poor
    return data


def test_a_province_s_rate_is_recomputed_from_its_summed_parts_never_averaged() -> None:
    given = resolver(rates_data())

    figure = given.figure(indicator="poverty_rate", unit=P02, year=YEAR)

    assert figure.value == Decimal(14)  # 140 / 1000 × 100; the average of the rates would be 20
    assert value(given, A, "poverty_rate") == Decimal(50)
    assert [(c.indicator, c.unit) for c in figure.contributions] == [
        *(("poor_households", unit) for unit in (A, B, C, D)),
        *(("households", unit) for unit in (A, B, C, D)),
    ]


def test_a_rate_across_the_crosswalk_is_recomputed_from_the_carried_parts() -> None:
    given = resolver(rates_data())

    # X: poor 50 + 20 + 0.6 × 40 = 94 over households 100 + 200 + 0.6 × 400 = 540
    assert str(value(given, X, "poverty_rate")) == "17.407407407407407407407407407407407407407407407407"
    assert value(given, P08, "poverty_rate") == Decimal(14)


def test_a_missing_part_gives_the_part_s_reason() -> None:
    data = rates_data()
    del data[("poor_households", A, YEAR)]
    given = resolver(data)

    assert given.figure(indicator="poverty_rate", unit=A, year=YEAR).reason == Label(
        "Số hộ nghèo: Không có số liệu của Xã A năm 2020.", "Poor households: No data for Xã A in 2020."
    )
    assert reason(given, P02, "poverty_rate") == (
        "Poor households: No data for 1 of the 4 units under Tỉnh Hà Giang: Xã A."
    )


def test_a_zero_denominator_gives_no_rate_with_the_reason() -> None:
    given = resolver({**rates_data(), ("households", A, YEAR): 0})

    assert given.figure(indicator="poverty_rate", unit=A, year=YEAR).reason == Label(
        "Số hộ của Xã A năm 2020 bằng 0; không tính được tỷ lệ.",
        "Households is 0 for Xã A in 2020; the ratio cannot be computed.",
    )


def test_an_annual_change_is_this_year_s_figure_minus_last_year_s() -> None:
    data = rates_data()
    data.update({("households", P02, YEAR - 1): 1000, ("poor_households", P02, YEAR - 1): 180})
    given = resolver(data)

    figure = given.figure(indicator="poverty_rate_change", unit=P02, year=YEAR)

    assert figure.value == Decimal(-4)  # 14% after 18%
    assert {contribution.year for contribution in figure.contributions} == {YEAR, YEAR - 1}
    assert reason(given, P02, "poverty_rate_change", YEAR - 1) == (
        "Poverty rate: Poor households: No data for Tỉnh Hà Giang in 2018."
    )


def test_sums_and_differences_of_indicators() -> None:
    data = rates_data()
    data.update({("near_poor_households", unit, YEAR): 5 for unit in (A, B, C, D)})
    given = resolver(data)

    assert value(given, P02, "poor_and_near_poor") == Decimal(160)
    assert value(given, P02, "non_poor_households") == Decimal(860)


# Provenance, memory, errors -------------------------------------------------------------------------


def test_provenance_is_summarised_by_units_eras_years_and_origin() -> None:
    data = rates_data()
    data[("poor_households", D, YEAR)] = Datum(Decimal(40), Origin.RECORDS, "review-2020-00004")
    given = resolver(data)
    figure = given.figure(indicator="poverty_rate", unit=X, year=YEAR)

    assert (
        Contribution(
            "poor_households", D, YEAR, Decimal(40), Decimal("0.6"), Origin.RECORDS, "review-2020-00004"
        )
        in figure.contributions
    )
    assert summarise_provenance(figure.contributions) == ProvenanceSummary(
        units=3, eras=("pre2025",), years=(2020,), entered=5, records=1
    )


def test_each_datum_is_read_once_per_resolver() -> None:
    reads: list[tuple] = []
    data = MemoryValues({key: Datum(Decimal(amount), Origin.ENTERED) for key, amount in rates_data().items()})

    class Counting:
        def datum(self, indicator, unit, year):
            reads.append((indicator, unit, year))
            return data.datum(indicator, unit, year)

    given = Resolver(catalogue=small_catalogue(), values=Counting(), tree=TREE, crosswalk=CROSSWALK)
    for _ in range(3):
        for unit in (P08, X, Y, Z, P02):
            given.series(indicator="poverty_rate", unit=unit, years=[YEAR])

    assert len(reads) == len(set(reads))


def test_an_unknown_indicator_is_refused() -> None:
    with pytest.raises(UnknownIndicator, match=r"There is no indicator 'poverty' in the catalogue\."):
        resolver({}).figure(indicator="poverty", unit=A, year=YEAR)


def test_a_series_gives_a_figure_per_year() -> None:
    given = resolver({("households", A, 2019): 10, ("households", A, 2020): 12})

    series = given.series(indicator="households", unit=A, years=range(2018, 2021))

    assert {year: figure.value for year, figure in series.items()} == {
        2018: None,
        2019: Decimal(10),
        2020: Decimal(12),
    }


def test_a_value_is_kept_exact_and_rounded_half_up_only_for_display() -> None:
    catalogue = small_catalogue()
    third = Figure("poverty_rate", A, YEAR, Decimal(100) / Decimal(3))
    half = Figure("poverty_rate", A, YEAR, Decimal("22.285"))
    count = Figure("households", A, YEAR, Decimal("54.5"))

    assert shown_value(third, indicator=catalogue.get("poverty_rate")) == Decimal("33.33")
    assert shown_value(half, indicator=catalogue.get("poverty_rate")) == Decimal("22.29")
    assert shown_value(count, indicator=catalogue.get("households")) == Decimal(55)
    assert shown_value(Figure("households", A, YEAR, None), indicator=catalogue.get("households")) is None
    assert rounded(Decimal("-4.2725"), 3) == Decimal("-4.273")
    assert rounded(Decimal("12.25"), 1) == Decimal("12.3")


def test_a_pivot_gives_every_unit_and_year_and_leaves_the_collector_as_it_found_it() -> None:
    given = resolver(rates_data())

    table = given.pivot(indicator="poverty_rate", units=[P02, P08], years=[2019, 2020])

    assert {key: figure.value for key, figure in table.items()} == {
        (P02, 2019): None,
        (P02, 2020): Decimal(14),
        (P08, 2019): None,
        (P08, 2020): Decimal(14),
    }
    assert gc.isenabled()
    gc.disable()
    try:
        given.pivot(indicator="households", units=[A], years=[2020])
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_resolver_and_its_figures_are_freed_as_soon_as_nothing_holds_them() -> None:
    given = resolver({})
    given.pivot(indicator="poverty_rate", units=[P02, P08, A, X], years=[2020])
    held = weakref.ref(given)

    del given

    assert held() is None
