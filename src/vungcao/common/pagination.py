"""The one paginator of every API list: ``limit`` and ``offset`` bounded, so a huge offset is a 422 naming
it, never a server error (SQLite cannot bind an integer beyond 64 bits)."""

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
