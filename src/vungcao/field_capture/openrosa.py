"""The OpenRosa documents ODK Collect reads: the form list, a form's manifest of media files, and the
response that carries a message to show the officer; and the one it sends, a form's instance (the
household's answers), read back into the questionnaire's rows.

Collect discards the whole list when an entry lacks its id, name or download address, and reads a hash
only after ``md5:``; every address is absolute.

An instance is read as ODK Central reads it, by local names whatever the namespaces: the root's ``id``
(the form) and ``version``, ``meta/instanceID`` (or the root's ``instanceID``), ``meta/deprecatedID`` (the
instance an edit replaces) and ``meta/instanceName``. It is parsed with no DTD allowed (no entity, no
external reference: ``defusedxml``), so a crafted document cannot expand or fetch anything.
"""

import datetime
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import defusedxml.ElementTree as DefusedElementTree
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vungcao.common.errors import ApplicationError
from vungcao.engine.choices import NO, YES
from vungcao.engine.numbers import format_unambiguous_number
from vungcao.engine.poverty.standard import AREA, INCOME, InputField
from vungcao.field_capture.xlsform import MEMBER_REPEAT, PHOTO
from vungcao.registry import classification
from vungcao.registry.models import CommuneReview
from vungcao.registry.services.questionnaire.columns import MEMBER_COLUMNS

FORM_LIST_NAMESPACE = "http://openrosa.org/xforms/xformsList"
MANIFEST_NAMESPACE = "http://openrosa.org/xforms/xformsManifest"
RESPONSE_NAMESPACE = "http://openrosa.org/http/response"
CONTENT_TYPE = "text/xml; charset=utf-8"


@dataclass(frozen=True)
class FormListEntry:
    form_id: str
    name: str
    version: str
    md5: str
    download_url: str
    manifest_url: str


@dataclass(frozen=True)
class ManifestEntry:
    filename: str
    md5: str
    download_url: str


def _document(root: ElementTree.Element) -> bytes:
    document: bytes = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return document


def _child(parent: ElementTree.Element, tag: str, text: str) -> None:
    ElementTree.SubElement(parent, tag).text = text


def form_list_xml(entries: Sequence[FormListEntry]) -> bytes:
    root = ElementTree.Element("xforms", xmlns=FORM_LIST_NAMESPACE)
    for entry in entries:
        form = ElementTree.SubElement(root, "xform")
        _child(form, "formID", entry.form_id)
        _child(form, "name", entry.name)
        _child(form, "version", entry.version)
        _child(form, "hash", f"md5:{entry.md5}")
        _child(form, "downloadUrl", entry.download_url)
        _child(form, "manifestUrl", entry.manifest_url)
    return _document(root)


def manifest_xml(entries: Sequence[ManifestEntry]) -> bytes:
    root = ElementTree.Element("manifest", xmlns=MANIFEST_NAMESPACE)
    for entry in entries:
        media = ElementTree.SubElement(root, "mediaFile")
        _child(media, "filename", entry.filename)
        _child(media, "hash", f"md5:{entry.md5}")
        _child(media, "downloadUrl", entry.download_url)
    return _document(root)


def response_xml(message: str, *, nature: str) -> bytes:
    """An ``OpenRosaResponse`` whose message Collect shows the officer (``nature``: ``error``,
    ``submit_success``)."""
    root = ElementTree.Element("OpenRosaResponse", xmlns=RESPONSE_NAMESPACE, items="0")
    ElementTree.SubElement(root, "message", nature=nature).text = message
    return _document(root)


# --- Instances in -------------------------------------------------------------------------------------

MAX_XML_BYTES = 1_000_000
"""The largest instance read: a household's answers with its members take a few kilobytes."""
MAX_IDENTIFIER = 100
"""The longest instance id (Collect's are ``uuid:`` and 36 characters)."""
XML_TOO_LARGE = _("The submission's answers are larger than 1 MB: they are not a household's answers.")
UNREADABLE = _("The submission cannot be read: it is not a form's answers as ODK Collect sends them.")
NO_INSTANCE_ID = _("The submission has no instance id (meta/instanceID).")
QUESTIONNAIRE_LANGUAGE = "vi"
"""The language the questionnaire's rows are read in (``registry.services.questionnaire``: numbers with a
decimal comma)."""
_XML_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


@dataclass(frozen=True)
class Instance:
    """A submitted instance as read: what identifies it, and its answers by question name (those inside
    groups too), each member of a new household's repeat apart."""

    form_id: str
    form_version: str
    instance_id: str
    deprecated_id: str
    instance_name: str
    completed_at: datetime.datetime | None
    device_id: str
    answers: Mapping[str, str]
    members: tuple[Mapping[str, str], ...]

    @property
    def new_household(self) -> bool:
        return self.answers.get("new_household") == YES

    @property
    def household_code(self) -> str:
        """The listed household's code, or the code the officer gave a new one."""
        return self.answers.get("new_household_code" if self.new_household else "household_code", "")

    @property
    def file_names(self) -> frozenset[str]:
        """The files the instance names as answers (the dwelling's photo): the only ones kept."""
        photo = self.answers.get(PHOTO, "")
        return frozenset({photo}) if photo else frozenset()


def _local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _leaves(element: ElementTree.Element) -> dict[str, str]:
    return {_local(child.tag): (child.text or "").strip() for child in element if not len(child)}


def _completed_at(text: str) -> datetime.datetime | None:
    """The phone's ``end`` (``2026-03-02T08:31:40.000+07:00``); None when absent or not a time."""
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def instance_parse(xml: bytes) -> Instance:
    """The instance ``xml`` holds; ``ApplicationError`` when it is too large, not XML, declares a DTD
    or has no instance id."""
    if len(xml) > MAX_XML_BYTES:
        raise ApplicationError(str(XML_TOO_LARGE))
    try:
        root = DefusedElementTree.fromstring(xml, forbid_dtd=True)
    except (ElementTree.ParseError, ValueError, LookupError) as error:
        raise ApplicationError(str(UNREADABLE)) from error
    answers: dict[str, str] = {}
    members: list[dict[str, str]] = []
    meta: dict[str, str] = {}

    def read(group: ElementTree.Element) -> None:
        for child in group:
            name = _local(child.tag)
            if not len(child):
                answers.setdefault(name, (child.text or "").strip())
            elif name == MEMBER_REPEAT and group is root:
                members.append(_leaves(child))
            elif name == "meta":
                meta.update(_leaves(child))
            else:
                read(child)

    read(root)
    instance_id = meta.get("instanceID") or root.get("instanceID", "")
    if not instance_id:
        raise ApplicationError(str(NO_INSTANCE_ID))
    deprecated_id = meta.get("deprecatedID", "")
    if len(instance_id) > MAX_IDENTIFIER or len(deprecated_id) > MAX_IDENTIFIER:
        raise ApplicationError(str(UNREADABLE))
    return Instance(
        form_id=root.get("id", ""),
        form_version=root.get("version", ""),
        instance_id=instance_id,
        deprecated_id=deprecated_id,
        instance_name=meta.get("instanceName", ""),
        completed_at=_completed_at(answers.get("end", "")),
        device_id=answers.get("deviceid", ""),
        answers=answers,
        members=tuple(members),
    )


def _number(text: str) -> str:
    """An XML number (``32.125``) as the questionnaire reads it back exactly (``32,1250``; read as text,
    ``32.125`` would be 32,125 thousand); any other text as sent, for the standard to refuse."""
    if not _XML_NUMBER.fullmatch(text):
        return text
    return format_unambiguous_number(Decimal(text), QUESTIONNAIRE_LANGUAGE)


def _answer(input_field: InputField, text: str) -> str:
    """A question's answer as the questionnaire's cell: a yes/no question's answer as the stored value
    (the phone asks so that "yes" means the household has it), a number as it reads back."""
    if input_field.type == "boolean" and text in (YES, NO):
        return YES if input_field.stored_from_answer(text == YES) else NO
    if input_field.type in ("integer", "number"):
        return _number(text)
    return text


def instance_rows(review: CommuneReview, instance: Instance) -> list[dict[str, str]]:
    """The questionnaire's rows of an instance of the review's form: one row of the household's answers
    for a listed household (its members are kept as registered), one row per member for a new one."""
    standard = classification.standard(review.cycle.standard_identifier)
    answers = instance.answers
    new = instance.new_household
    household = {
        "review_year": str(review.cycle.year),
        "household_code": instance.household_code,
        "village_code": answers.get("village_code", ""),
        "address": answers.get("address", "") if new else "",
        "area": answers.get(AREA, ""),
        "income_per_capita_month": _number(answers.get(INCOME, "")),
        **{
            input_field.name: _answer(input_field, answers.get(input_field.name, ""))
            for input_field in standard.all_fields
            if input_field.name not in (AREA, INCOME)
        },
    }
    if not new:
        return [household]
    return [
        {**household, **{column: member.get(column, "") for column in MEMBER_COLUMNS}}
        for member in instance.members or ({},)
    ]
