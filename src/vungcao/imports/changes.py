"""What a previewed file would change, kept with its batch and shown on its page.

A plan describes its first changes (``common.importing.MAX_CHANGES`` of each kind) in its importer's JSON
shape (for the questionnaire: ``registry.services.questionnaire.changes``). They repeat the file's personal
data (names, identity numbers), so they are kept like the rows read from the file: compressed, sealed
(bound to the batch), and emptied with them when the batch is applied, refused or expired. Labels are
references to model fields (``"registry.Member.schooling"``) or a label in both languages, and values are
codes and numbers: they are put into words when shown, in the reader's language, identity numbers masked
unless the reader may see them whole (``accounts.access.can_see_identity_numbers``).
"""

import json
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common import sealing
from vungcao.common.importing import MAX_CHANGES, ImportPlan
from vungcao.engine.text import format_number
from vungcao.imports.models import ImportBatch
from vungcao.registry import identity

SEAL_PURPOSE = "vungcao import changes"
IDENTITY = "identity_number"
# What the page may be asked to show (``?show=``): every described change, or one kind.
SHOWN_KINDS = ("all", "added", "changed", "missing")


def record_changes(batch: ImportBatch, plan: ImportPlan) -> None:
    """Put what the plan would change on the batch (not saved): its counts, its fingerprint, whether
    records missing from the file may stay, and its described changes, sealed."""
    batch.change_counts = plan.change_counts
    batch.changes_fingerprint = plan.fingerprint
    batch.missing_count, batch.missing_must_go = plan.missing, plan.missing_must_go
    content = zlib.compress(json.dumps(plan.changes, ensure_ascii=False, separators=(",", ":")).encode(), 6)
    batch.changes = (
        sealing.seal(content, purpose=SEAL_PURPOSE, associated=batch.pk.bytes) if plan.changes else b""
    )


def _opened(batch: ImportBatch) -> list[dict[str, Any]]:
    if not batch.changes:
        return []
    try:
        content = sealing.unseal(batch.changes, purpose=SEAL_PURPOSE, associated=batch.pk.bytes)
    except sealing.SealBrokenError:
        return []
    entries: list[dict[str, Any]] = json.loads(zlib.decompress(content))
    return entries


@cache
def _model_field(reference: str) -> "models.Field[Any, Any] | None":
    app_label, model_name, name = reference.split(".")
    try:
        field = apps.get_model(app_label, model_name)._meta.get_field(name)
    except LookupError:
        return None
    return field if isinstance(field, models.Field) else None


class _Words:
    """Labels and values in the reader's language."""

    def __init__(self, user: User) -> None:
        self.language = "en" if (translation.get_language() or "").startswith("en") else "vi"
        self.whole_numbers = access.can_see_identity_numbers(user)

    def label(self, label: str | Mapping[str, str]) -> str:
        if isinstance(label, Mapping):
            return str(label.get(self.language) or label.get("vi") or "")
        if label == IDENTITY:
            return _("identity number")
        field = _model_field(label)
        return str(field.verbose_name) if field is not None else label

    def value(self, label: str | Mapping[str, str], value: object) -> str:
        if value is None or value == "":
            return "—"
        if label == IDENTITY:
            number = str(value)
            return number if self.whole_numbers else identity.masked(number[-3:])
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, int | float):
            return format_number(value, self.language)
        field = _model_field(label) if isinstance(label, str) else None
        if field is not None and field.choices:
            return str(dict(field.flatchoices).get(value, value))
        return str(value)

    def fields(self, changes: list[list[Any]]) -> "list[FieldShown]":
        """``[label, old, new]`` changes in words."""
        return [
            FieldShown(self.label(label), self.value(label, old), self.value(label, new))
            for label, old, new in changes
        ]


@dataclass(frozen=True)
class FieldShown:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class MemberShown:
    kind: str
    name: str
    birth_year: str
    fields: list[FieldShown]


@dataclass(frozen=True)
class ChangeShown:
    code: str
    row: int
    kind: str
    missing: int
    fields: list[FieldShown]
    members: list[MemberShown]
    more_members: int


def change_kinds(counts: Mapping[str, int]) -> list[tuple[str, str, int | None]]:
    """The page's filters: (``show``, label, how many households in all; None for "all")."""
    return [
        ("all", _("All"), None),
        ("added", _("New households"), counts.get("households_added", 0)),
        ("changed", _("Changed households"), counts.get("households_changed", 0)),
        ("missing", _("Members not in the file"), counts.get("households_missing", 0)),
    ]


def changes_capped(counts: Mapping[str, int]) -> bool:
    """Some households of a kind are counted but not described."""
    kinds = ("households_added", "households_changed", "households_missing")
    return any(counts.get(kind, 0) > MAX_CHANGES for kind in kinds)


def changes_shown(entries: Iterable[Mapping[str, Any]], *, user: User, show: str) -> list[ChangeShown]:
    """Described changes (a plan's entries, in its importer's shape) of kind ``show`` (``SHOWN_KINDS``;
    "missing": the households with members missing from the file), in words for ``user``."""
    words = _Words(user)
    shown = []
    for entry in entries:
        if show == "missing" and not entry.get("missing"):
            continue
        if show in ("added", "changed") and entry.get("kind") != show:
            continue
        shown.append(
            ChangeShown(
                code=str(entry["code"]),
                row=int(entry["row"]),
                kind=str(entry["kind"]),
                missing=int(entry.get("missing", 0)),
                fields=words.fields(entry["fields"]),
                members=[
                    MemberShown(kind, str(name), str(born), words.fields(changes))
                    for kind, name, born, changes in entry["members"]
                ],
                more_members=int(entry.get("more_members", 0)),
            )
        )
    return shown


def import_batch_changes(*, batch: ImportBatch, user: User, show: str = "all") -> list[ChangeShown]:
    """The batch's described changes of kind ``show``, in words for ``user`` (``changes_shown``)."""
    return changes_shown(_opened(batch), user=user, show=show)
