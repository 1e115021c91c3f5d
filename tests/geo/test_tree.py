"""The unit-tree helpers every subtree and scope condition is built from."""

import pytest
from django.db import connection

from tests.conftest import BA_CHE, QUANG_NINH, TIEN_YEN, current_unit
from vungcao.geo import tree
from vungcao.geo.models import AdministrativeUnit, Era


def test_outermost_keeps_the_paths_not_under_another() -> None:
    paths = [
        "current/22/06970/",
        "current/22/",
        "current/11/03325/",
        "current/11/03325/03325-001/",
        "current/22/",
    ]
    assert tree.outermost(paths) == ["current/11/03325/", "current/22/"]


def test_parent_path() -> None:
    assert tree.parent_path("current/22/06970/06970-001/") == "current/22/06970/"
    assert tree.parent_path("current/22/") == "current/"


@pytest.mark.django_db
def test_subtree_conditions_select_the_unit_and_what_lies_under_it() -> None:
    quang_ninh = current_unit(QUANG_NINH)
    ba_che = current_unit(BA_CHE)
    assert set(AdministrativeUnit.objects.filter(tree.in_subtree(ba_che)).values_list("code", flat=True)) == {
        BA_CHE
    }
    communes = AdministrativeUnit.objects.filter(tree.in_subtree(quang_ninh), level="commune")
    assert communes.filter(code=TIEN_YEN).exists()
    assert communes.count() == AdministrativeUnit.objects.filter(parent=quang_ninh, level="commune").count()
    assert not AdministrativeUnit.objects.filter(tree.in_subtrees([])).exists()
    assert tree.province_path(ba_che) == quang_ninh.path
    assert tree.within(ba_che, quang_ninh)
    assert not tree.within(quang_ninh, ba_che)


@pytest.mark.django_db
def test_linked_history_reaches_the_old_units_of_a_new_province() -> None:
    """Quảng Ninh kept its code in 2025: its old province (22) is linked into it, with its communes."""
    old_paths = tree.history_paths(current_unit(QUANG_NINH))
    old_quang_ninh = AdministrativeUnit.objects.get(era=Era.PRE2025, code=QUANG_NINH)
    assert old_quang_ninh.path in old_paths
    assert all(path.startswith("pre2025/") for path in old_paths)


def unit(code: str, parent: AdministrativeUnit | None = None, era: str = Era.CURRENT) -> AdministrativeUnit:
    """A unit written directly (only the path matters here)."""
    path = f"{parent.path if parent else era + tree.SEPARATOR}{code}{tree.SEPARATOR}"
    return AdministrativeUnit.objects.create(
        era=era,
        code=code,
        name=code,
        name_folded=code,
        division_type="",
        level="commune" if parent else "province",
        parent=parent,
        path=path,
        depth=path.count(tree.SEPARATOR) - 1,
    )


@pytest.fixture
def look_alike_codes() -> dict[str, AdministrativeUnit]:
    """Units whose paths begin alike without one lying under the other: Z9 and Z91, Z9 and Z9-1 (``-``
    sorts before the separator), Đ and Đa and Đ0 (outside ASCII; ``0`` follows the separator)."""
    z9, z91, dee = unit("Z9"), unit("Z91"), unit("Đ")
    return {
        "Z9": z9,
        "Z9/Z90001": unit("Z90001", z9),
        "Z91": z91,
        "Z91/Z91001": unit("Z91001", z91),
        "Z9-1": unit("Z9-1"),
        "Đ": dee,
        "Đ/Đ1": unit("Đ1", dee),
        "Đa": unit("Đa"),
        "Đ0": unit("Đ0"),
    }


def under(path: str) -> set[str]:
    """The paths of the units lying under ``path``, found in Python."""
    return {
        unit_path
        for unit_path in AdministrativeUnit.objects.values_list("path", flat=True)
        if unit_path.startswith(path)
    }


@pytest.mark.django_db
def test_a_subtree_holds_exactly_the_paths_that_begin_with_its_own(look_alike_codes) -> None:
    """Given units whose codes begin alike, then each subtree condition finds what lies under the unit
    and nothing else, the same as a prefix test in Python, on either database."""
    for subtree_root in [*look_alike_codes.values(), current_unit(QUANG_NINH), current_unit(BA_CHE)]:
        found = set(
            AdministrativeUnit.objects.filter(tree.in_subtree(subtree_root)).values_list("path", flat=True)
        )
        assert found == under(subtree_root.path), subtree_root.path
    assert set(
        AdministrativeUnit.objects.filter(tree.in_subtree(look_alike_codes["Z9"])).values_list(
            "code", flat=True
        )
    ) == {"Z9", "Z90001"}
    assert set(
        AdministrativeUnit.objects.filter(tree.in_subtree(look_alike_codes["Đ"])).values_list(
            "code", flat=True
        )
    ) == {"Đ", "Đ1"}


@pytest.mark.django_db
def test_rows_are_narrowed_through_a_relation_and_excluded_exactly(look_alike_codes) -> None:
    """The condition through a relation (a unit's parent), negated, and several subtrees at once."""
    children_of_nine = AdministrativeUnit.objects.filter(tree.in_subtree(look_alike_codes["Z9"], "parent"))
    assert set(children_of_nine.values_list("code", flat=True)) == {"Z90001"}
    outside = AdministrativeUnit.objects.exclude(tree.in_subtree(look_alike_codes["Z9"])).filter(
        era=Era.CURRENT
    )
    assert {"Z91", "Z9-1", "Z91001"} <= set(outside.values_list("code", flat=True))
    assert not {"Z9", "Z90001"} & set(outside.values_list("code", flat=True))
    both = AdministrativeUnit.objects.filter(
        tree.in_subtrees([look_alike_codes["Z91"].path, look_alike_codes["Đ"].path])
    )
    assert set(both.values_list("code", flat=True)) == {"Z91", "Z91001", "Đ", "Đ1"}


def test_a_subtree_is_asked_for_by_a_unit_s_path() -> None:
    assert tree.subtree_bounds("current/22/") == ("current/22/", "current/220")
    with pytest.raises(ValueError, match="ending with '/'"):
        tree.subtree_bounds("current/22")


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a column collation is PostgreSQL's")
def test_the_subtree_condition_holds_whatever_the_collation_of_the_paths(look_alike_codes) -> None:
    """Given a database whose collation ignores punctuation (an ICU collation, "shifted"), where
    ``current/Z9/Z90001/`` sorts after ``current/Z90``, then a plain range of the paths would miss the commune,
    and the subtree condition, comparing character by character, does not."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the new units' deferred checks, before the change
        cursor.execute(
            "CREATE COLLATION IF NOT EXISTS test_ignore_punctuation (provider = icu, locale = 'und-u-ka-shifted')"
        )
        cursor.execute(
            f"ALTER TABLE {AdministrativeUnit._meta.db_table} ALTER COLUMN path TYPE varchar(255) "
            "COLLATE test_ignore_punctuation"
        )
    nine = look_alike_codes["Z9"]
    low, high = tree.subtree_bounds(nine.path)
    plain_range = AdministrativeUnit.objects.filter(path__gte=low, path__lt=high)

    assert set(plain_range.values_list("code", flat=True)) != {"Z9", "Z90001"}
    assert set(AdministrativeUnit.objects.filter(tree.in_subtree(nine)).values_list("code", flat=True)) == {
        "Z9",
        "Z90001",
    }


def test_subtree_slices_and_common_subtrees() -> None:
    paths = sorted(
        ["current/9/", "current/9/90001/", "current/9-1/", "current/91/", "current/Đ/", "pre2025/02/"]
    )
    assert [paths[part] for part in tree.subtree_slices(paths, ["current/9/", "current/9/90001/"])] == [
        ["current/9/", "current/9/90001/"]
    ]
    assert [paths[part] for part in tree.subtree_slices(paths, ["current/91/", "pre2025/"])] == [
        ["current/91/"],
        ["pre2025/02/"],
    ]
    assert tree.common_subtrees(["current/", "pre2025/02/"], ["current/22/", "pre2025/"]) == [
        "current/22/",
        "pre2025/02/",
    ]
    assert tree.common_subtrees(["current/22/"], ["current/2/", "pre2025/"]) == []
