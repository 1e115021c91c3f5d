"""Crosswalk links: planning a set of links for some old units, and the official crosswalk import."""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from django.db import transaction
from django.utils.translation import gettext as _

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common import database
from vungcao.common.errors import ApplicationError, PermissionDeniedError
from vungcao.common.importing import ImportPlan, Rows
from vungcao.common.language import reader_language
from vungcao.engine.crosswalk import CrosswalkRow, validate_crosswalk
from vungcao.geo.models import AdministrativeUnit, CrosswalkLink, Era, Level
from vungcao.geo.services.revision import unit_tree_changed
from vungcao.geo.signals import history_links_changed

CROSSWALK_COLUMNS = ("old_code", "new_code", "share")


@contextmanager
def history_links_changing() -> Iterator[None]:
    """Around a write of crosswalk links, in one transaction: every unit before 1 July 2025 is locked
    first (in one order, without its key), as a write of such a unit's money locks it, so that money
    carried across the crosswalk from them and written meanwhile waits for the change or is waited for;
    after the write, the tree's readers and whatever is carried across are told
    (``geo.signals.history_links_changed``)."""
    with transaction.atomic():
        old_units = AdministrativeUnit.objects.filter(era=Era.PRE2025).values_list("pk", flat=True)
        database.rows_lock(AdministrativeUnit, old_units, no_key=True)
        yield
        unit_tree_changed()
        history_links_changed.send(sender=CrosswalkLink)


def links_plan(
    rows: list[CrosswalkRow],
    old: Mapping[str, AdministrativeUnit],
    new: Mapping[str, AdministrativeUnit],
    provenance: str,
    *,
    source: str,
) -> ImportPlan:
    """Plan to make the links of the old units named in ``rows`` exactly ``rows``."""
    old_ids = {old[row.old_code].pk for row in rows}
    current = {
        (link.old_unit_id, link.new_unit_id): link
        for link in CrosswalkLink.objects.filter(old_unit_id__in=old_ids)
    }
    wanted = {(old[row.old_code].pk, new[row.new_code].pk): row.share for row in rows}
    stale = [link.pk for key, link in current.items() if key not in wanted]
    to_create: list[CrosswalkLink] = []
    to_update: list[CrosswalkLink] = []
    plan = ImportPlan()
    for (old_id, new_id), share in wanted.items():
        link = current.get((old_id, new_id))
        if link is None:
            to_create.append(
                CrosswalkLink(
                    old_unit_id=old_id, new_unit_id=new_id, share=share, provenance=provenance, source=source
                )
            )
        elif link.share != share or link.provenance != provenance or link.source != source:
            link.share, link.provenance, link.source = share, provenance, source
            to_update.append(link)
        else:
            plan.unchanged += 1

    def write() -> None:
        if not (stale or to_create or to_update):
            return
        with history_links_changing():
            CrosswalkLink.objects.filter(pk__in=stale).delete()
            CrosswalkLink.objects.bulk_create(to_create, batch_size=2000)
            CrosswalkLink.objects.bulk_update(to_update, ["share", "provenance", "source"], batch_size=2000)

    plan.created, plan.updated, plan.write = len(to_create), len(to_update) + len(stale), write
    return plan


def crosswalk_plan(*, user: User, rows: Rows, source: str, level: str = Level.COMMUNE) -> ImportPlan:
    """The official crosswalk (columns old_code, new_code, share): for every old unit the file names,
    its links become exactly the file's rows, replacing the derived anchor link."""
    if not access.can_manage_reference_data(user):
        raise PermissionDeniedError(_("Only administrators may import the crosswalk."))
    if level not in (Level.COMMUNE, Level.PROVINCE):
        raise ApplicationError(_("A crosswalk links communes or provinces."))
    old = {u.code: u for u in AdministrativeUnit.objects.filter(era=Era.PRE2025, is_official=True)}
    new = {u.code: u for u in AdministrativeUnit.objects.filter(era=Era.CURRENT, is_official=True)}
    links, report = validate_crosswalk(
        rows,
        old_levels={code: unit.level for code, unit in old.items()},
        new_levels={code: unit.level for code, unit in new.items()},
        level=level,
        language=reader_language(),
    )
    if not report.ok:
        return ImportPlan(report=report)
    return links_plan(links, old, new, CrosswalkLink.Provenance.OFFICIAL_IMPORT, source=source)
