"""Entered values changed: their indicators get a new revision token, so that processes make their figures
again (``indicators.selectors.kept``)."""

import uuid
from collections.abc import Iterable

from vungcao.indicators.models import IndicatorValueRevision


def indicator_values_changed(*, codes: Iterable[str]) -> None:
    """Give the entered values of the indicators ``codes`` a new revision, in the transaction that wrote
    them: other processes see it when that transaction commits, never before (and never if it rolls back).
    Every write of ``IndicatorValue`` calls it, as late as it can: the revision's row stays locked until
    the transaction ends (on PostgreSQL), so that two writes of one indicator's values commit one after the
    other; rows are written in code order, so that two writers of several indicators never wait for each
    other in a circle."""
    revisions = [
        IndicatorValueRevision(indicator=code, token=uuid.uuid4().hex) for code in sorted(set(codes))
    ]
    IndicatorValueRevision.objects.bulk_create(
        revisions, update_conflicts=True, unique_fields=["indicator"], update_fields=["token"]
    )
