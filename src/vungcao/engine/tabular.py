"""Row-level validation results shared by every import and every engine that reads tables.

A validation never writes anything: it returns a report, and the caller writes only when the report is
clean. Each problem names the row (1-based, as a spreadsheet user counts data rows after the header),
the field, the value as read and the reason, so that an official can fix the file.

A report keeps at most ``MAX_PROBLEMS`` problems (the first by row) and counts the rest: a file of a
million bad cells would otherwise make a million problems, held in memory and stored with the import
(a probe stored a 515 MB row). Values are kept to ``MAX_VALUE_CHARACTERS``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

# Problems kept (and stored, and shown): enough to fix a file by, in order of rows; the rest are counted.
MAX_PROBLEMS = 1_000
# Characters of a value kept in a problem: enough to find the cell, not a whole pasted text.
MAX_VALUE_CHARACTERS = 200


def shortened(value: str) -> str:
    """``value``, cut to ``MAX_VALUE_CHARACTERS`` with "…" when longer."""
    if len(value) <= MAX_VALUE_CHARACTERS:
        return value
    return value[: MAX_VALUE_CHARACTERS - 1] + "…"


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
    """The problems found in one table, ``ok`` when there is none: the first ``limit`` by row (``__iter__``)
    and how many in all (``len``). ``problems`` holds at most twice ``limit`` while problems are added."""

    problems: list[ValidationProblem] = field(default_factory=list)
    limit: int = MAX_PROBLEMS
    count: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self.count = len(self.problems)
        self._trim()

    def _trim(self) -> None:
        if len(self.problems) > self.limit:
            self.problems = sorted(self.problems)[: self.limit]

    def _keep(self, problem: ValidationProblem) -> None:
        self.count += 1
        self.problems.append(problem)
        if len(self.problems) >= 2 * self.limit:
            self._trim()

    def add(self, row: int, field_name: str, value: object, reason: str) -> None:
        self._keep(ValidationProblem(row, field_name, "" if value is None else shortened(str(value)), reason))

    def extend(self, problems: Iterable[ValidationProblem]) -> None:
        for problem in problems:
            if len(problem.value) > MAX_VALUE_CHARACTERS:
                problem = replace(problem, value=shortened(problem.value))
            self._keep(problem)

    @property
    def ok(self) -> bool:
        return self.count == 0

    @property
    def omitted(self) -> int:
        """Problems counted but not kept."""
        return self.count - min(len(self.problems), self.limit)

    def __iter__(self) -> Iterator[ValidationProblem]:
        return iter(sorted(self.problems)[: self.limit])

    def __len__(self) -> int:
        return self.count

    def as_dicts(self) -> list[dict[str, object]]:
        return [problem.as_dict() for problem in self]

    def summary(self, limit: int = 20) -> str:
        lines = [str(problem) for problem in list(self)[:limit]]
        if self.count > limit:
            lines.append(f"… and {self.count - limit} more problems")
        return "\n".join(lines)


class TableValidationError(ValueError):
    """Raised by an engine that refuses a whole table; carries the full report."""

    def __init__(self, report: ValidationReport) -> None:
        self.report = report
        super().__init__(f"{len(report)} problem(s) in the table:\n{report.summary()}")
