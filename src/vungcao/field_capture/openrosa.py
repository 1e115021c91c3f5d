"""The OpenRosa documents ODK Collect reads: the form list, a form's manifest of media files, and the
response that carries a message to show the officer.

Collect discards the whole list when an entry lacks its id, name or download address, and reads a hash
only after ``md5:``; every address is absolute.
"""

import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence
from dataclasses import dataclass

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
