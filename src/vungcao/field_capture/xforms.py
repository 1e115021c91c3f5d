"""The XForm a phone downloads for a commune's review: the review's XLSForm converted by pyxform, named by
a form id that says the year and the commune, and versioned by its content.

Converting takes a few hundredths of a second and importing pyxform most of a second, so pyxform is
imported only where a form is converted, and each form is converted once per process and version (Django's
cache): a province officer's form list names a hundred communes' forms.
"""

import hashlib
import re
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import translation

from vungcao.field_capture.models import FormWording
from vungcao.field_capture.xlsform import TITLE, Wording, XLSForm, questionnaire_xlsform, xlsform_workbook
from vungcao.geo.models import AdministrativeUnit
from vungcao.geo.names import unit_full_name
from vungcao.registry import classification
from vungcao.registry.models import CommuneReview, ReviewCycle

FORM_ID = re.compile(r"vungcao-review-(?P<year>[0-9]{4})-(?P<commune>[0-9]{5})")
"""A review's form id: the cycle's year and the commune's code (``vungcao-review-2025-06970``)."""
CACHE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class FormIdentity:
    year: int
    commune_code: str


@dataclass(frozen=True)
class ServedForm:
    """A converted form as phones download it: its bytes, their MD5 (the form list's hash), its version
    and its title."""

    form_id: str
    title: str
    version: str
    xml: bytes
    md5: str


def review_form_id(review: CommuneReview) -> str:
    return f"vungcao-review-{review.cycle.year}-{review.commune.code}"


def form_identity(form_id: str) -> FormIdentity | None:
    """The year and commune a form id names; None for any text that is not exactly a form id."""
    match = FORM_ID.fullmatch(form_id)
    if match is None:
        return None
    return FormIdentity(int(match["year"]), match["commune"])


def _title(year: int, unit: AdministrativeUnit) -> str:
    with translation.override("vi"):
        return f"{TITLE} {year} · {unit_full_name(unit)}"


def review_title(review: CommuneReview) -> str:
    """``Rà soát hộ nghèo 2025 · Xã Ba Chẽ, Tỉnh Quảng Ninh``: phones list forms by their title, in
    Vietnamese."""
    return _title(review.cycle.year, review.commune)


def cycle_wording(cycle: ReviewCycle) -> Wording:
    """The province's wording of the cycle's form (``FormWording``); none while it keeps the standard's."""
    wording: Wording | None = (
        FormWording.objects.filter(cycle=cycle).values_list("wording", flat=True).first()
    )
    return wording or {}


def review_xlsform(*, review: CommuneReview) -> XLSForm:
    """The questionnaire of the review's cycle's standard in the province's wording, as the form of this
    commune's review."""
    return questionnaire_xlsform(
        classification.standard(review.cycle.standard_identifier),
        form_id=review_form_id(review),
        title=review_title(review),
        year=review.cycle.year,
        wording=cycle_wording(review.cycle),
    )


def cycle_xlsform(*, cycle: ReviewCycle, wording: Wording | None = None) -> XLSForm:
    """The form of the cycle's communes as one workbook for the province to reword, in ``wording``: named
    after the province (whose two-digit code no commune's form id takes)."""
    return questionnaire_xlsform(
        classification.standard(cycle.standard_identifier),
        form_id=f"vungcao-review-{cycle.year}-{cycle.province.code}",
        title=_title(cycle.year, cycle.province),
        year=cycle.year,
        wording=wording,
    )


def xlsform_xml(form: XLSForm, *, validate: bool = False) -> str:
    """The XForm pyxform makes of ``form`` (read from its workbook, as an official's file is read). With
    ``validate``, ODK Validate checks it too (Java): ``ODKValidateError`` when it refuses it."""
    from pyxform.xls2xform import convert

    xml: str = convert(xlsform_workbook(form), file_type=".xlsx", validate=validate).xform
    return xml


def review_xform(review: CommuneReview) -> ServedForm:
    """The review's XForm as served, converted once per process and version."""
    form = review_xlsform(review=review)
    form_id, version = form.settings["form_id"], form.settings["version"]
    key = f"odk-xform:{form_id}:{version}"
    xml = cache.get(key)
    if xml is None:
        xml = xlsform_xml(form).encode()
        cache.set(key, xml, CACHE_SECONDS)
    return ServedForm(
        form_id=form_id,
        title=form.settings["form_title"],
        version=version,
        xml=xml,
        md5=hashlib.md5(xml, usedforsecurity=False).hexdigest(),
    )
