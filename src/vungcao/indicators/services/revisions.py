"""Entered values changed: their indicators get a new revision, so that processes make their figures
again (``indicators.selectors.kept``), and what each write changed is logged, so that a process holding
the values of an earlier revision reads only those changed since (``indicators.selectors.values``)."""

import uuid
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import F

from vungcao.indicators.models import IndicatorValue, IndicatorValueChange, IndicatorValueRevision

ChangedValue = tuple[str, int, int]
"""(indicator, unit id, year) of a value a write entered, corrected or removed."""
CHANGED_FIELDS = ("indicator", "unit_id", "year")
"""The fields of an ``IndicatorValue`` that make its :data:`ChangedValue` (for ``values_list``)."""


def changed_value(stored: IndicatorValue) -> ChangedValue:
    """What a write of ``stored`` changed, as its revision logs it."""
    return (stored.indicator, stored.unit_id, stored.year)


LOGGED_AT_MOST = 5_000
"""Units and years of one indicator a write logs; a write changing more is not logged (a process holding
an earlier revision reads all the indicator's values again, as fast as reading that many changes)."""
LOGGED_WRITES = 200
"""Writes of each indicator kept in the log; a process holding an older revision reads all its values."""


def indicator_values_changed(*, changed: Iterable[ChangedValue]) -> None:
    """Give each indicator of ``changed`` a new revision, in the transaction that wrote its values: other
    processes see it when that transaction commits, never before (and never if it rolls back); and log the
    units and years it changed. Every write of ``IndicatorValue`` calls it, as late as it can: the
    revision's row stays locked until the transaction ends (on PostgreSQL), so that two writes of one
    indicator's values commit one after the other, in the order of their numbers; rows are written in code
    order, so that two writers of several indicators never wait for each other in a circle."""
    by_indicator: defaultdict[str, set[tuple[int, int]]] = defaultdict(set)
    for code, unit_id, year in changed:
        by_indicator[code].add((unit_id, year))
    for code in sorted(by_indicator):
        _revised(code, by_indicator[code])


def _revised(code: str, changed: set[tuple[int, int]]) -> None:
    token = uuid.uuid4().hex
    revisions = IndicatorValueRevision.objects.filter(indicator=code)
    if not revisions.update(token=token, number=F("number") + 1):  # the row locked until commit
        # The indicator's first write: its row made (or, by a writer at the same time, waited for), then
        # numbered as any other write.
        IndicatorValueRevision.objects.bulk_create(
            [IndicatorValueRevision(indicator=code, token=token)], ignore_conflicts=True
        )
        revisions.update(token=token, number=F("number") + 1)
    number, logged_after = revisions.values_list("number", "logged_after").get()
    oldest = max(logged_after, number - LOGGED_WRITES)
    if len(changed) > LOGGED_AT_MOST:
        oldest = number
    else:
        IndicatorValueChange.objects.bulk_create(
            IndicatorValueChange(indicator=code, number=number, token=token, unit_id=unit_id, year=year)
            for unit_id, year in sorted(changed)
        )
    if oldest != logged_after:
        revisions.update(logged_after=oldest)
        IndicatorValueChange.objects.filter(indicator=code, number__lte=oldest).delete()
