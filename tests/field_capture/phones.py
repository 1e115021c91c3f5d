"""Asking as ODK Collect asks (HTTPS, ``X-OpenRosa-Version: 1.0``, Basic credentials once challenged,
``?deviceID=``), and sending a review's instances as it sends them, built from the answers a phone
records (``field_capture.demo.instance_xml``)."""

import base64
import xml.etree.ElementTree as ElementTree
from collections.abc import Mapping, Sequence

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from django.utils.functional import Promise

from tests.conftest import PASSWORD
from tests.registry.test_answers_form import ANSWERS as FORM_ANSWERS
from vungcao.accounts.models import User
from vungcao.field_capture import xforms
from vungcao.field_capture.demo import instance_xml
from vungcao.field_capture.openrosa import RESPONSE_NAMESPACE
from vungcao.registry.models import CommuneReview

DEVICE = {"deviceID": "collect:test"}
USER_AGENT = "org.odk.collect.android/v2025.2.1"
OPENROSA_HEADERS = {"X-OpenRosa-Version", "X-OpenRosa-Accept-Content-Length", "Date", "Content-Language"}
# A household's answers to vn-2022-2025 as the phone records them: the web's answers form's
# (``tests.registry.test_answers_form.ANSWERS``), each yes/no question answered "yes" or "no" as asked
# (the recorded deprivations "does it meet it?"), numbers with a decimal point.
ANSWERS = {name: {"true": "yes", "false": "no"}.get(value, value) for name, value in FORM_ANSWERS.items()}
FINISHED = "2026-03-02T08:31:40.000+07:00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4


def basic(username: str, password: str = PASSWORD) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def collect(user: User | None = None, password: str = PASSWORD, **options: bool) -> Client:
    """A client that asks as Collect does, with the user's credentials once challenged."""
    headers = {"X-OpenRosa-Version": "1.0", "User-Agent": USER_AGENT}
    if user is not None:
        headers["Authorization"] = basic(user.username, password)
    return Client(headers=headers, **options)


def vietnamese(text: Promise) -> str:
    """What Collect shows: the server's language, whatever the phone's."""
    with translation.override("vi"):
        return str(text)


def message(response) -> str:
    root = ElementTree.fromstring(response.content)
    found = root.find(f"{{{RESPONSE_NAMESPACE}}}message")
    assert found is not None
    return found.text or ""


def listed_instance(
    review: CommuneReview,
    code: str = "06970-001-0001",
    *,
    village: str = "06970-001",
    instance_id: str | None = None,
    deprecated_id: str = "",
    finished: str = FINISHED,
    **answers: str,
) -> bytes:
    """An instance of the review's form for a listed household, its answers ``ANSWERS`` but those given."""
    return instance_xml(
        xforms.review_xlsform(review=review),
        answers={
            "end": finished,
            "deviceid": "collect:Xb2",
            "village_code": village,
            "new_household": "no",
            "household_code": code,
            **ANSWERS,
            **answers,
        },
        instance_id=instance_id,
        deprecated_id=deprecated_id,
    )


MEMBERS = (
    {
        "member_name": "Hoàng Văn Sáu",
        "sex": "male",
        "birth_year": "1979",
        "ethnic_group": "09",
        "relation_to_head": "head",
        "identity_number": "022079001111",
        "schooling": "primary",
        "health_insurance": "yes",
        "disability": "no",
        "work": "own_farm",
    },
    {
        "member_name": "Hoàng Thị Bảy",
        "sex": "female",
        "birth_year": "2012",
        "ethnic_group": "09",
        "relation_to_head": "child",
        "identity_number": "",
        "schooling": "lower_secondary",
        "health_insurance": "yes",
        "disability": "no",
        "work": "student",
    },
)


def new_instance(
    review: CommuneReview,
    code: str = "06970-001-0100",
    *,
    village: str = "06970-001",
    members: Sequence[Mapping[str, str]] = MEMBERS,
    **answers: str,
) -> bytes:
    """An instance for a new household of the village, with its members."""
    return instance_xml(
        xforms.review_xlsform(review=review),
        answers={
            "end": FINISHED,
            "village_code": village,
            "new_household": "yes",
            "new_household_code": code,
            "address": "Bản Khe Giấy",
            **ANSWERS,
            **answers,
        },
        members=members,
    )


def send(
    client: Client, xml: bytes | None, *files: tuple[str, bytes], incomplete: bool = False, **extra: str
):
    """POST a sending as Collect does: the instance as ``xml_submission_file``, each file as a part named
    by its file name, ``*isIncomplete*`` on all but the last sending of a split one."""
    data: dict[str, object] = {}
    if xml is not None:
        data["xml_submission_file"] = SimpleUploadedFile("instance.xml", xml, "text/xml")
    for name, content in files:
        data[name] = SimpleUploadedFile(name, content, "image/jpeg")
    if incomplete:
        data["*isIncomplete*"] = "yes"
    return client.post("/odk/submission?deviceID=collect:test", data, secure=True, **extra)
