"""The files a review's form carries to the phone (its media): the commune's villages and its households'
roster, so that an officer picks a household offline and sees its head's name.

The roster holds codes, heads' names and areas, never identity numbers, years of birth, answers or
statuses. Its bytes depend only on the rows (UTF-8 without a byte-order mark, which would rename the first
column; ``\\n`` line ends), so the manifest's MD5 equals the download's, and a changed list reaches phones
as updated media without a new form version.
"""

import csv
import hashlib
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from vungcao.accounts.models import User
from vungcao.common.spreadsheets import csv_value
from vungcao.field_capture.xlsform import HOUSEHOLDS_FILE, VILLAGES_FILE
from vungcao.geo import selectors as geo_selectors
from vungcao.geo.models import Level
from vungcao.registry.models import CommuneReview
from vungcao.registry.selectors.households import RosterEntry, household_roster

HOUSEHOLD_COLUMNS = ("code", "label", "village", "head_name", "area")
VILLAGE_COLUMNS = ("code", "name")


@dataclass(frozen=True)
class MediaFile:
    filename: str
    content: bytes
    # Households the file names (their heads' names are personal data): 0 for the villages.
    household_count: int = 0

    @property
    def md5(self) -> str:
        return hashlib.md5(self.content, usedforsecurity=False).hexdigest()


def _csv(columns: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([csv_value(value) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


def households_csv(entries: Sequence[RosterEntry]) -> bytes:
    """``code,label,village,head_name,area``; the label is what the phone lists: the code and the head."""
    return _csv(
        HOUSEHOLD_COLUMNS,
        (
            (
                entry.code,
                f"{entry.code} · {entry.head_name}" if entry.head_name else entry.code,
                entry.village_code,
                entry.head_name,
                entry.area,
            )
            for entry in entries
        ),
    )


def review_households(*, user: User, review: CommuneReview) -> MediaFile:
    entries = household_roster(user=user, commune=review.commune)
    return MediaFile(HOUSEHOLDS_FILE, households_csv(entries), household_count=len(entries))


def review_villages(*, user: User, review: CommuneReview) -> MediaFile:
    """``code,name`` of the commune's current villages, by code."""
    villages = (
        geo_selectors.unit_children(user=user, unit=review.commune)
        .filter(level=Level.VILLAGE, valid_to__isnull=True)
        .order_by("code")
    )
    return MediaFile(
        VILLAGES_FILE, _csv(VILLAGE_COLUMNS, ((village.code, village.name) for village in villages))
    )


def review_media(*, user: User, review: CommuneReview) -> tuple[MediaFile, ...]:
    """Every file of the review's form, as its manifest lists them."""
    return (review_villages(user=user, review=review), review_households(user=user, review=review))
