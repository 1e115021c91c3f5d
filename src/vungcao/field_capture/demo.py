"""Phones' submissions made up for the demo and the benchmark: an instance of a review's form written as
ODK Collect sends it, from answers given as the phone records them (codes, ``yes``/``no`` to the question
as asked, numbers with a decimal point)."""

import uuid
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator, Mapping, Sequence
from itertools import takewhile

from vungcao.field_capture.xlsform import Row, XLSForm

NAMESPACES = {"xmlns:jr": "http://openrosa.org/javarosa", "xmlns:orx": "http://openrosa.org/xforms"}


def _questions(
    parent: ElementTree.Element,
    rows: Iterator[Row],
    answers: Mapping[str, str],
    members: Sequence[Mapping[str, str]],
) -> None:
    """The elements of ``rows`` up to the end of the group they are in: a group nested, the members'
    repeat once per member, every other row a question answered from ``answers`` or left empty."""
    for row in rows:
        kind, name = row["type"], row["name"]
        if kind in ("end_group", "end_repeat"):
            return
        if kind == "begin_group":
            _questions(ElementTree.SubElement(parent, name), rows, answers, members)
        elif kind == "begin_repeat":
            names = [question["name"] for question in takewhile(lambda r: r["type"] != "end_repeat", rows)]
            for member in members:
                element = ElementTree.SubElement(parent, name)
                for question in names:
                    ElementTree.SubElement(element, question).text = member.get(question, "")
        else:
            ElementTree.SubElement(parent, name).text = answers.get(name, "")


def instance_xml(
    form: XLSForm,
    *,
    answers: Mapping[str, str],
    members: Sequence[Mapping[str, str]] = (),
    instance_id: str | None = None,
    deprecated_id: str = "",
    instance_name: str = "",
) -> bytes:
    """An instance of ``form`` (``xforms.review_xlsform``) as Collect posts it: its questions in the
    form's order and groups, answered from ``answers`` by name (``start``, ``end`` and ``deviceid``
    among them), a new household's ``members`` each in its repeat, then ``meta`` (a new ``uuid:``
    instance id unless given; ``deprecated_id`` for an edit of a sent instance)."""
    root = ElementTree.Element(
        form.settings["name"],
        {**NAMESPACES, "id": form.settings["form_id"], "version": form.settings["version"]},
    )
    _questions(root, iter(form.survey), answers, members)
    meta = ElementTree.SubElement(root, "meta")
    ElementTree.SubElement(meta, "instanceID").text = instance_id or f"uuid:{uuid.uuid4()}"
    if deprecated_id:
        ElementTree.SubElement(meta, "deprecatedID").text = deprecated_id
    ElementTree.SubElement(meta, "instanceName").text = instance_name
    document: bytes = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return document
