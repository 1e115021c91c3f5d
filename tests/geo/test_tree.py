"""The unit-tree helpers every subtree and scope condition is built from."""

import pytest

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
