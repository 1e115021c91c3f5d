"""What a user may see is decided in one place: ``accounts/access.py``, with the unit-tree helpers of
``geo/tree.py``. A unit-path condition written anywhere else would be a scope rule that the sweep and
the access tests cannot see, so this test fails on one, naming the file and line."""

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "vungcao"
# The one module that writes conditions on unit paths.
TREE = PACKAGE / "geo" / "tree.py"
# A prefix condition on a path, in the ORM or in Python, or the user's scope read by path.
HAND_WRITTEN = re.compile(
    r"path__(?:startswith|subtree)|\bpath\.startswith\(|\bscope\.path\b|\bLIKE\b.*\bpath\b"
)
# A programme's components form a tree of their own (``Component.path``), not of units.
COMPONENT_TREE = re.compile(r"component__path__startswith|path__startswith=component\.path\b")


def hand_written_unit_path_conditions(package: Path = PACKAGE) -> list[str]:
    found = []
    helpers = package / TREE.relative_to(PACKAGE)
    for source in sorted(package.rglob("*")):
        if source.suffix not in {".py", ".html"} or "migrations" in source.parts or source == helpers:
            continue
        for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
            if HAND_WRITTEN.search(COMPONENT_TREE.sub("", line)):
                found.append(f"{source.relative_to(package)}:{number}: {line.strip()}")
    return found


def test_no_unit_path_condition_is_written_outside_the_tree_helpers() -> None:
    assert hand_written_unit_path_conditions() == []


def test_the_check_finds_a_hand_written_condition(tmp_path: Path) -> None:
    """Given a module that filters households by a path prefix itself, then the check names it."""
    package = tmp_path / "vungcao"
    (package / "geo").mkdir(parents=True)
    (package / "geo" / "tree.py").write_text('Q(path__startswith="x")\n')
    (package / "selectors.py").write_text(
        "households.filter(village__path__startswith=unit.path)\n"
        "components.filter(component__path__startswith=c)\n"
        "Q(component__path__startswith=c, unit__path__startswith=u)\n"
    )
    assert hand_written_unit_path_conditions(package) == [
        "selectors.py:1: households.filter(village__path__startswith=unit.path)",
        "selectors.py:3: Q(component__path__startswith=c, unit__path__startswith=u)",
    ]
