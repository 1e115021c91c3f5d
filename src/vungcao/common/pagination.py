"""The one paginator of every API list: ``limit`` and ``offset`` bounded, so a huge offset is a 422 naming
it, never a server error (SQLite cannot bind an integer beyond 64 bits); and the pages of a list too long
to count on every page (:class:`PagesCountedUpTo`)."""

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.conf import settings
from ninja.pagination import LimitOffsetPagination

from vungcao.common.bounds import MAX_OFFSET


class BoundedLimitOffset(LimitOffsetPagination):
    """``limit`` 1 … the configured maximum (``NINJA_PAGINATION_MAX_LIMIT``), ``offset`` 0 … 10⁹;
    an offset past the end gives an empty page."""

    class Input(Schema):
        limit: int = Field(settings.PAGINATION_PER_PAGE, ge=1, le=settings.PAGINATION_MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


COUNTED_AT_MOST = 10_000
"""Items a page of a long list counts: beyond, the pages say "more than"."""


class PagesCountedUpTo(Paginator):  # type: ignore[type-arg]
    """Pages of a query whose items are counted up to ``counted_at_most``: a province's list of a million
    households is not counted whole to show one page of it (the count was most of the page's time, 1–3 s).
    Past the bound, :attr:`counted_all` is false, the pages reach the bound and the list says there are
    more (narrowing the filter, or an export, reaches the rest)."""

    def __init__(self, object_list: QuerySet[Any], per_page: int, *, counted_at_most: int | None = None):
        super().__init__(object_list, per_page)
        self.query = object_list
        self.counted_at_most = COUNTED_AT_MOST if counted_at_most is None else counted_at_most

    @cached_property
    def found(self) -> int:
        """The items, counted up to one past the bound."""
        return self.query.order_by()[: self.counted_at_most + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.found, self.counted_at_most)

    @property
    def counted_all(self) -> bool:
        return self.found <= self.counted_at_most
