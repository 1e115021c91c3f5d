"""The units and crosswalk changed: a new revision token, so that processes read them again."""

import uuid

from vungcao.geo.models import UnitTreeRevision


def unit_tree_changed() -> None:
    """Give the units and the crosswalk a new revision, in the transaction that changed them: other
    processes see it when that transaction commits, never before (and never if it rolls back). Every write
    to ``AdministrativeUnit`` or ``CrosswalkLink`` calls it (``geo.unit_tree`` keeps them by revision)."""
    UnitTreeRevision.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})
