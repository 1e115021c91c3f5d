"""A refused entry names every bad field; the page shows each under its field, the API answers 422."""

from collections.abc import Mapping

from django.utils.translation import gettext_lazy

from vungcao.common.errors import ApplicationError

REFUSED = gettext_lazy("The entry was refused: nothing was written.")


class EntryRefused(ApplicationError):
    """Every bad field of an entry, by name (``errors``)."""

    def __init__(self, errors: Mapping[str, str], *, extra: dict[str, object] | None = None) -> None:
        super().__init__(str(REFUSED), extra={"errors": dict(errors), **(extra or {})})
        self.errors = dict(errors)
