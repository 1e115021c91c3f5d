"""Row-level validation results shared by every import and every engine that reads tables.

A validation never writes anything: it returns a report, and the caller writes only when the report is
clean. Each problem names the row (1-based, as a spreadsheet user counts data rows after the header),
the field, the value as read and the reason, so that an official can fix the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class ValidationProblem:
    """One problem in one cell (or one row, when ``field`` is empty)."""

    row: int
    field: str
    value: str
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "field": self.field, "value": self.value, "reason": self.reason}

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", {self.field}" if self.field else "")
        return f"{where}: {self.reason} (value: {self.value!r})"


@dataclass
class ValidationReport:
    """Every problem found in one table; ``ok`` when there is none."""

    problems: list[ValidationProblem] = field(default_factory=list)

    def add(self, row: int, field_name: str, value: object, reason: str) -> None:
        self.problems.append(ValidationProblem(row, field_name, "" if value is None else str(value), reason))

    def extend(self, problems: Iterable[ValidationProblem]) -> None:
        self.problems.extend(problems)

    @property
    def ok(self) -> bool:
        return not self.problems

    def __iter__(self) -> Iterator[ValidationProblem]:
        return iter(sorted(self.problems))

    def __len__(self) -> int:
        return len(self.problems)

    def as_dicts(self) -> list[dict[str, object]]:
        return [problem.as_dict() for problem in self]

    def summary(self, limit: int = 20) -> str:
        lines = [str(problem) for problem in list(self)[:limit]]
        if len(self.problems) > limit:
            lines.append(f"… and {len(self.problems) - limit} more problems")
        return "\n".join(lines)


class TableValidationError(ValueError):
    """Raised by an engine that refuses a whole table; carries the full report."""

    def __init__(self, report: ValidationReport) -> None:
        self.report = report
        super().__init__(f"{len(report)} problem(s) in the table:\n{report.summary()}")
