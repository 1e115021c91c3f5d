"""A province's own programme (chương trình của tỉnh) as a tree of components; renaming and retiring
components. Components are never deleted: money, works and support recorded against a retired or
renamed component stay where they are and keep counting.

Codes are made safe from the shipped national programmes: a provincial programme's code starts with
the province code (``22-NQ06``) and each component's with its programme's (``22-NQ06-MT1``); a code
given without that prefix gets it.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.choices import model_choice_set
from vungcao.common.errors import PermissionDeniedError
from vungcao.common.language import reader_language
from vungcao.engine.choices import ChoiceError, ChoiceSet
from vungcao.geo.models import AdministrativeUnit, Era, Level
from vungcao.programs.models import Component, ComponentKind, Programme
from vungcao.programs.services.refusals import EntryRefused

FIRST_YEAR, LAST_YEAR = 2000, 2100
KIND_BY_DEPTH = (ComponentKind.TARGET_GROUP, ComponentKind.TASK)

NOT_ALLOWED = gettext_lazy("You may not define or change the programmes of this province.")
NOT_A_PROVINCE = gettext_lazy("A provincial programme belongs to a province of the current units.")
REQUIRED = gettext_lazy("This field is required.")
BAD_CODE = gettext_lazy("A code is letters, digits, dots and dashes, at most {length} characters.")
CODE_TAKEN = gettext_lazy("The code {code} is already used by a programme or component.")
CODE_REPEATED = gettext_lazy("The code {code} is given twice.")
BAD_YEARS = gettext_lazy("The programme runs between 2000 and 2100 and ends no earlier than it starts.")
NO_COMPONENTS = gettext_lazy("Give at least one component.")
TOO_DEEP = gettext_lazy("Components nest at most {depth} levels deep.")
PARENT_RETIRED = gettext_lazy("A component cannot be added under a retired component.")
NOT_OF_PROGRAMME = gettext_lazy("The parent belongs to another programme.")
MAX_DEPTH = 4


@dataclass(frozen=True)
class ComponentSpec:
    """One component to create, with the components under it."""

    code: str
    name_vi: str
    name_en: str = ""
    numbering: str = ""
    kind: str = ""
    children: Sequence["ComponentSpec"] = field(default_factory=tuple)


def _prefixed(prefix: str, code: str) -> str:
    code = code.strip()
    return code if code.startswith(f"{prefix}-") else f"{prefix}-{code}"


def _code_ok(code: str, length: int) -> bool:
    return 0 < len(code) <= length and all(ch.isalnum() or ch in ".-_" for ch in code) and code.isascii()


def _define_check(user: User, province: AdministrativeUnit | None) -> None:
    if not access.can_define_programme(user, province):
        raise PermissionDeniedError(str(NOT_ALLOWED))


@cache
def component_kinds() -> ChoiceSet:
    """The kinds of component, read by code or by label in either language (``Dự án``, ``tiểu dự án``)."""
    return model_choice_set(ComponentKind)


def _flatten(
    specs: Sequence[ComponentSpec], prefix: str, depth: int, errors: dict[str, str], seen: set[str]
) -> list[tuple[ComponentSpec, str, int]]:
    """Each spec with its prefixed code and depth, in tree order; problems go into ``errors``."""
    rows: list[tuple[ComponentSpec, str, int]] = []
    for spec in specs:
        code = _prefixed(prefix, spec.code) if spec.code.strip() else ""
        label = f"components.{code or spec.name_vi or '?'}"
        if not _code_ok(code, 60):
            errors.setdefault(label, str(BAD_CODE).format(length=60))
        elif code in seen:
            errors.setdefault(label, str(CODE_REPEATED).format(code=code))
        seen.add(code)
        if not spec.name_vi.strip():
            errors.setdefault(label, str(REQUIRED))
        if spec.kind:
            try:
                component_kinds().resolve(spec.kind)
            except ChoiceError as error:
                errors.setdefault(label, error.message(reader_language()))
        if depth >= MAX_DEPTH:
            errors.setdefault(label, str(TOO_DEEP).format(depth=MAX_DEPTH))
        rows.append((spec, code, depth))
        rows.extend(_flatten(spec.children, prefix, depth + 1, errors, seen))
    return rows


def _taken(codes: set[str]) -> list[str]:
    taken = set(Component.objects.filter(code__in=codes).values_list("code", flat=True))
    taken |= set(Programme.objects.filter(code__in=codes).values_list("code", flat=True))
    return sorted(taken)


def _create_tree(
    programme: Programme, parent: Component | None, specs: Sequence[ComponentSpec], start: int
) -> list[Component]:
    created = []
    for position, spec in enumerate(specs, start=start):
        code = _prefixed(programme.code, spec.code)
        depth = 0 if parent is None else parent.path.count("/")
        component = Component.objects.create(
            programme=programme,
            parent=parent,
            code=code,
            numbering=spec.numbering.strip(),
            name_vi=spec.name_vi.strip(),
            name_en=spec.name_en.strip(),
            kind=component_kinds().resolve(spec.kind) if spec.kind else KIND_BY_DEPTH[min(depth, 1)],
            path=f"{parent.path if parent else ''}{code}/",
            position=position,
        )
        created.append(component)
        created += _create_tree(programme, component, spec.children, 0)
    return created


@transaction.atomic
def programme_define(
    *,
    user: User,
    province: AdministrativeUnit,
    code: str,
    name_vi: str,
    components: Sequence[ComponentSpec],
    name_en: str = "",
    legal_basis: str = "",
    start_year: int,
    end_year: int,
    owner: str = "",
) -> Programme:
    """Create a province's programme with its tree of components (e.g. target groups and tasks)."""
    if province.era != Era.CURRENT or province.level != Level.PROVINCE:
        raise EntryRefused({"province_code": str(NOT_A_PROVINCE)})
    _define_check(user, province)
    errors: dict[str, str] = {}
    full_code = _prefixed(province.code, code) if code.strip() else ""
    if not _code_ok(full_code, 40):
        errors["code"] = str(BAD_CODE).format(length=40)
    if not name_vi.strip():
        errors["name_vi"] = str(REQUIRED)
    if not (FIRST_YEAR <= start_year <= end_year <= LAST_YEAR):
        errors["end_year"] = str(BAD_YEARS)
    if not components:
        errors["components"] = str(NO_COMPONENTS)
    rows = _flatten(components, full_code, 0, errors, set())
    for taken in _taken({full_code} | {row_code for _spec, row_code, _depth in rows}):
        key = "code" if taken == full_code else f"components.{taken}"
        errors.setdefault(key, str(CODE_TAKEN).format(code=taken))
    if errors:
        raise EntryRefused(errors)
    programme = Programme.objects.create(
        code=full_code,
        name_vi=name_vi.strip(),
        name_en=name_en.strip(),
        legal_basis=legal_basis.strip(),
        start_year=start_year,
        end_year=end_year,
        owner=owner.strip() or province.name,
        owner_unit=province,
    )
    _create_tree(programme, None, components, 0)
    return programme


@transaction.atomic
def component_add(
    *, user: User, programme: Programme, parent: Component | None, spec: ComponentSpec
) -> Component:
    """Add a component (and any under it) at the end of ``parent``'s children, or of the top level."""
    _define_check(user, programme.owner_unit)
    errors: dict[str, str] = {}
    if parent is not None and parent.programme_id != programme.pk:
        errors["parent"] = str(NOT_OF_PROGRAMME)
    elif parent is not None and not parent.is_active:
        errors["parent"] = str(PARENT_RETIRED)
    depth = 0 if parent is None else parent.path.count("/")
    rows = _flatten([spec], programme.code, depth, errors, set())
    for taken in _taken({row_code for _spec, row_code, _depth in rows}):
        errors.setdefault(f"components.{taken}", str(CODE_TAKEN).format(code=taken))
    top = f"components.{rows[0][1]}"
    if errors:
        raise EntryRefused({"code" if key == top else key: value for key, value in errors.items()})
    siblings = Component.objects.filter(programme=programme, parent=parent)
    start = max((sibling.position for sibling in siblings), default=-1) + 1
    return _create_tree(programme, parent, [spec], start)[0]


@transaction.atomic
def component_rename(
    *, user: User, component: Component, name_vi: str, name_en: str = "", numbering: str = ""
) -> Component:
    """New names and numbering; the code, and everything recorded against it, stay."""
    _define_check(user, component.programme.owner_unit)
    if not name_vi.strip():
        raise EntryRefused({"name_vi": str(REQUIRED)})
    component.name_vi, component.name_en = name_vi.strip(), name_en.strip()
    component.numbering = numbering.strip()
    component.save(update_fields=["name_vi", "name_en", "numbering", "updated_at"])
    return component


@transaction.atomic
def component_retire(*, user: User, component: Component) -> int:
    """Retire a component and everything under it: no new money or entries, past ones keep counting.

    Returns how many components were retired.
    """
    _define_check(user, component.programme.owner_unit)
    return Component.objects.filter(
        programme=component.programme, path__startswith=component.path, is_active=True
    ).update(is_active=False, updated_at=timezone.now())


@transaction.atomic
def component_restore(*, user: User, component: Component) -> int:
    """Bring a retired component back, with the components above it (not those under it)."""
    _define_check(user, component.programme.owner_unit)
    ancestor_paths = []
    parts = component.path.strip("/").split("/")
    for depth in range(1, len(parts) + 1):
        ancestor_paths.append("/".join(parts[:depth]) + "/")
    return Component.objects.filter(
        programme=component.programme, path__in=ancestor_paths, is_active=False
    ).update(is_active=True, updated_at=timezone.now())
