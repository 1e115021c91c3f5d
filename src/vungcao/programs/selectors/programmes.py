"""Programmes as trees and the capital sources: reference data every user may read."""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.errors import NotFoundError
from vungcao.programs.models import CapitalSource, Component, Programme


@dataclass
class ComponentNode:
    component: Component
    children: list["ComponentNode"] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.component.code,
            "numbering": self.component.numbering,
            "name": self.component.name,
            "kind": self.component.kind,
            "components": [child.as_dict() for child in self.children],
        }


def programme_list(*, user: User) -> QuerySet[Programme]:
    """National programmes, and the provincial programmes of provinces the user may open."""
    visible_provinces = access.restrict_by_unit(
        Programme.objects.filter(owner_unit__isnull=False), user, "owner_unit"
    )
    return Programme.objects.filter(
        Q(owner_unit__isnull=True) | Q(pk__in=visible_provinces.values("pk"))
    ).order_by("owner_unit__path", "code")


def programme_trees(
    *, user: User, include_retired: bool = False
) -> list[tuple[Programme, list[ComponentNode]]]:
    """Each visible programme with its components as a tree, in two queries."""
    return _trees(list(programme_list(user=user)), include_retired)


def _trees(programmes: list[Programme], include_retired: bool) -> list[tuple[Programme, list[ComponentNode]]]:
    components = Component.objects.filter(programme__in=programmes).order_by("path", "position")
    if not include_retired:
        components = components.filter(is_active=True)
    nodes: dict[int, ComponentNode] = {}
    roots: dict[int, list[ComponentNode]] = {programme.pk: [] for programme in programmes}
    for component in sorted(components, key=lambda c: (c.path.count("/"), c.position, c.code)):
        parent = nodes.get(component.parent_id) if component.parent_id else None
        if component.parent_id and parent is None:
            continue  # under a retired component that is not shown
        node = nodes[component.pk] = ComponentNode(component)
        (parent.children if parent else roots[component.programme_id]).append(node)
    return [(programme, roots[programme.pk]) for programme in programmes]


def capital_source_list() -> QuerySet[CapitalSource]:
    return CapitalSource.objects.order_by("position", "code")


def component_names(codes: set[str]) -> dict[str, Component]:
    return {component.code: component for component in Component.objects.filter(code__in=codes)}


def programme_get(*, user: User, code: str) -> Programme:
    """One programme the user may see, or NotFoundError (also when it exists out of scope)."""
    programme = programme_list(user=user).filter(code=code).select_related("owner_unit").first()
    if programme is None:
        raise NotFoundError(f"programme {code}")
    return programme


def component_get(*, programme: Programme, code: str) -> Component:
    """A component of a programme the caller already got through ``programme_get``."""
    component = programme.components.filter(code=code).select_related("programme__owner_unit").first()
    if component is None:
        raise NotFoundError(f"component {code}")
    return component


def programme_tree(*, programme: Programme) -> list[ComponentNode]:
    """The components of a programme got through ``programme_get`` as a tree, retired ones included."""
    return _trees([programme], include_retired=True)[0][1]
