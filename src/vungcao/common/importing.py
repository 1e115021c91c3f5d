"""The shape every import takes: validate the whole file into a plan, show it, then write it at once.

A domain app turns the rows of a file into an :class:`ImportPlan`: every problem found (by row, field,
value and reason) and how many records would be created, changed or left unchanged. Nothing is
written while planning. ``write`` is called only for a plan without problems, inside one
transaction, by the imports app (or a command); planning the same file again after it was written
gives only unchanged records.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

from vungcao.common.language import reader_language
from vungcao.engine.codes import CodeError, CodeShape
from vungcao.engine.tabular import ValidationReport

if TYPE_CHECKING:
    from vungcao.accounts.models import User


def _nothing_to_write() -> None:
    return None


# How many records of each kind of change (added, changed, with parts missing) a plan describes: a
# 100,000-household file is counted and digested in full but described by its first ones, as problems are
# (``engine.tabular.MAX_PROBLEMS``), so that its preview stays a page and a row of kilobytes.
MAX_CHANGES = 100


@dataclass
class ImportPlan:
    report: ValidationReport = field(default_factory=ValidationReport)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    write: Callable[[], None] = _nothing_to_write
    # What applying would change, record by record, as JSON-ready entries in the importer's own shape
    # (the first ``MAX_CHANGES`` of each kind; the questionnaire's is in ``registry.services.questionnaire
    # .changes``), and how many of each kind of change there are in all.
    changes: list[dict[str, Any]] = field(default_factory=list)
    change_counts: dict[str, int] = field(default_factory=dict)
    # Sums up every change, described or not: the apply plans the file again under lock and writes it
    # only when it finds the same counts and digest as the preview showed.
    digest: str = ""
    # Stored records the file leaves out (a household's members), kept unless the person applying
    # explicitly chooses to remove them (``remove_missing``, set before ``write``); ``missing_must_go``
    # when some cannot be kept (a household's head the file replaced), so only that choice applies.
    missing: int = 0
    missing_must_go: bool = False
    remove_missing: bool = False

    @property
    def counts(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}

    @property
    def fingerprint(self) -> str:
        """What the preview showed, in short: the apply must find the same."""
        return f"{self.created}/{self.updated}/{self.unchanged}/{self.missing}/{self.digest}"


Rows = list[dict[str, str]]


def cell(row: Mapping[str, str], column: str) -> str:
    """A cell's text with surrounding blanks removed; empty when the column is missing."""
    return (row.get(column) or "").strip()


@dataclass(frozen=True)
class Importer:
    """A kind of file the system imports. Each domain app lists its own in ``<app>/importers.py`` as
    ``IMPORTERS``; the imports app finds them there and offers upload, preview and apply for each."""

    kind: str
    label: Promise
    columns: tuple[str, ...]
    example: "tuple[Promise | str, ...]"
    plan: "Callable[[User, Rows, str], ImportPlan]"
    may_import: "Callable[[User], bool]"
    # Columns a file may leave out.
    optional: frozenset[str] = frozenset()
    # Allowed values of a column, offered as a drop-down list in the template (labels, which may be lazy).
    choices: "tuple[tuple[str, tuple[Promise | str, ...]], ...]" = ()
    # Header text of a column in the template (e.g. Vietnamese); the template writes "label (column)"
    # and a file may use either the column's name or such a header.
    labels: "Mapping[str, Promise | str]" = field(default_factory=dict)
    # Columns that depend on the user's data (e.g. the answers of the standard of their open review),
    # as (column, label) pairs, added to the template after ``columns``.
    extra_columns: "Callable[[User], tuple[tuple[str, str], ...]] | None" = None
    # Columns holding codes or identity numbers: written as text in the template, and read back with the
    # leading zeros a spreadsheet dropped restored (or refused with the reason) before ``plan`` sees them.
    code_columns: "Mapping[str, CodeShape]" = field(default_factory=dict)
    # What the template's instructions sheet says of this kind of file beyond the rules of every file.
    instructions: "tuple[Promise, ...]" = ()
    # Whether the imports page offers the kind (listed, uploaded, its template downloaded). A kind whose
    # rows another page makes (e.g. phones' submissions chosen on their own page) is not, yet its batches
    # are previewed, applied and listed as any, and the command line imports it.
    offered: bool = True

    def read(self, user: "User", rows: Rows, source: str) -> ImportPlan:
        """The plan of ``rows``, their codes restored first (see ``restore_codes``)."""
        report = restore_codes(rows, self.code_columns)
        plan = self.plan(user, rows, source)
        if not report.ok:
            refused = {(problem.row, problem.field) for problem in report}
            report.extend(problem for problem in plan.report if (problem.row, problem.field) not in refused)
            plan.report = report
        return plan


def restore_codes(rows: Rows, code_columns: "Mapping[str, CodeShape]") -> ValidationReport:
    """Put back, in place, the leading zeros a spreadsheet dropped from the codes of ``rows`` (``6970`` →
    ``06970``); the codes that cannot be restored are reported (row numbers as importers count them: the
    header is row 1) and left as written."""
    report = ValidationReport()
    language = reader_language()
    for column, shape in code_columns.items():
        if shape.all_whole([row.get(column) or "" for row in rows]):
            continue  # every code of the column is written in full (the usual case)
        restored: dict[str, str | CodeError] = {}  # a file repeats the same codes: restore each once
        for number, row in enumerate(rows, start=2):
            text = row.get(column)
            if not text:
                continue
            outcome = restored.get(text)
            if outcome is None:
                try:
                    outcome = restored[text] = shape.restore(text)
                except CodeError as error:
                    outcome = restored[text] = error
            if isinstance(outcome, CodeError):
                report.add(number, column, shape.shown(text), outcome.message(language))
            else:
                row[column] = outcome
    return report


_NAMED_HEADER = re.compile(r"\(([a-z0-9_]+)\)\s*$")


def header_column(header: str) -> str:
    """``"Mã hộ (household_code)"`` → ``"household_code"``; a plain header is lower-cased and stripped."""
    found = _NAMED_HEADER.search(header.strip().lower())
    return found.group(1) if found else header.strip().lower()


def template_header(column: str, label: object | None) -> str:
    return f"{label} ({column})" if label else column
