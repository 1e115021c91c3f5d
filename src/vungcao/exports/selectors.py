"""Exports as their user sees them: each is its user's alone."""

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.errors import NotFoundError
from vungcao.exports.models import Export


def export_get(*, user: User, export_id: str) -> Export:
    """One export of the user's own (its sealed file left unread), or NotFoundError."""
    export = access.restrict_exports(Export.objects.all(), user).filter(pk=export_id).first()
    if export is None:
        raise NotFoundError(f"export {export_id}")
    return export
