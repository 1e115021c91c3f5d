"""Errors a service raises for a user to read: the views and the API turn them into messages."""

from vungcao.engine.tabular import ValidationReport


class ApplicationError(Exception):
    """A refusal the user can act on; ``message`` is already translated."""

    def __init__(self, message: str, *, extra: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class PermissionDeniedError(ApplicationError):
    """The user's role or scope does not allow the action."""


class NotFoundError(ApplicationError):
    """The object does not exist, or the user may not know it exists."""


class ImportRefusedError(ApplicationError):
    """A file was refused whole; ``report`` lists every problem by row, field, value and reason."""

    def __init__(self, message: str, report: ValidationReport) -> None:
        super().__init__(message, extra={"problems": report.as_dicts()})
        self.report = report
