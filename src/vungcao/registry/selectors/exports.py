"""Household exports, as their user sees them."""

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.errors import NotFoundError
from vungcao.registry.models import HouseholdExport


def household_export_get(*, user: User, export_id: str) -> HouseholdExport:
    """One export of the user's own (its sealed file left unread), or NotFoundError."""
    exports = access.restrict_household_exports(HouseholdExport.objects.defer("content"), user)
    export = exports.filter(pk=export_id).first()
    if export is None:
        raise NotFoundError(f"household export {export_id}")
    return export
