"""Units named as officials write them in a report's heading: with their kind, and up to the province."""

from vungcao.engine.text import fold
from vungcao.geo.models import AdministrativeUnit


def unit_name_with_kind(unit: AdministrativeUnit) -> str:
    """``"Tỉnh Quảng Ninh"`` for a province stored as ``"Quảng Ninh"`` of kind ``tỉnh``; ``"Xã Ba Chẽ"``
    and ``"Thành phố Hà Nội"`` (kind ``thành phố trung ương``) as stored: a name already begins with its
    kind's first words."""
    kind = unit.division_type.strip()
    leading = " ".join(fold(kind).split()[:2])
    if not kind or fold(unit.name).startswith(leading):
        return unit.name
    return f"{kind[:1].upper() + kind[1:]} {unit.name}"


def unit_full_name(unit: AdministrativeUnit) -> str:
    """The unit and the units above it, as an address is written: ``"Thôn Khe Giấy, Xã Ba Chẽ, Tỉnh
    Quảng Ninh"``. A unit that is not stored (the whole country of a national report) is its name."""
    if unit.pk is None:
        return str(unit.name)
    codes = unit.ancestor_codes
    above = {
        ancestor.code: ancestor
        for ancestor in AdministrativeUnit.objects.filter(era=unit.era, code__in=codes)
    }
    names = [
        unit_name_with_kind(unit),
        *(unit_name_with_kind(above[c]) for c in reversed(codes) if c in above),
    ]
    return ", ".join(names)
