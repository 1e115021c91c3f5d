"""A small world of units for the resolver's tests.

Before 2025, province P02 (Hà Giang) had communes A, B, C and D. From 1 July 2025, province P08 (Tuyên
Quang) has communes X, Y and Z: X is A and B merged with 60% of D, Y is C renamed, Z the other 40% of D.
P02 went whole into P08 (at province level the crosswalk links P02 → P08 with share 1)."""

from decimal import Decimal

from tests.engine.indicators.catalogues import small_catalogue
from vungcao.engine.indicators.definitions import Origin
from vungcao.engine.indicators.figures import CURRENT, PRE2025, Datum, UnitRef
from vungcao.engine.indicators.resolution import Resolver
from vungcao.engine.indicators.sources import MemoryCrosswalk, MemoryTree, MemoryValues

P02 = UnitRef(PRE2025, "02")
A, B, C, D = (UnitRef(PRE2025, code) for code in ("00001", "00002", "00003", "00004"))
P08 = UnitRef(CURRENT, "08")
X, Y, Z = (UnitRef(CURRENT, code) for code in ("10001", "10002", "10003"))
NAMES = {
    P02: "Tỉnh Hà Giang",
    A: "Xã A",
    B: "Xã B",
    C: "Xã C",
    D: "Xã D",
    P08: "Tỉnh Tuyên Quang",
    X: "Xã X",
    Y: "Xã Y",
    Z: "Xã Z",
}
TREE = MemoryTree({P02: [A, B, C, D], P08: [X, Y, Z]}, NAMES)
CROSSWALK = MemoryCrosswalk(
    [
        (A, X, Decimal(1)),
        (B, X, Decimal(1)),
        (C, Y, Decimal(1)),
        (D, X, Decimal("0.6")),
        (D, Z, Decimal("0.4")),
        (P02, P08, Decimal(1)),
    ]
)


def resolver(data: dict[tuple[str, UnitRef, int], int | str | Datum]) -> Resolver:
    """A resolver over ``data``: a number is an entered datum referenced ``entry-<unit code>``."""
    values = {
        key: value
        if isinstance(value, Datum)
        else Datum(Decimal(value), Origin.ENTERED, f"entry-{key[1].code}")
        for key, value in data.items()
    }
    return Resolver(catalogue=small_catalogue(), values=MemoryValues(values), tree=TREE, crosswalk=CROSSWALK)
