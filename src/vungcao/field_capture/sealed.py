"""The sealed parts of a phone's submission: the instance's XML as received, the household's change it
describes, and its files. Each is sealed (``common.sealing``) under a purpose of its own and bound to the
submission's id (a file also to its name), so that sealed bytes copied to another record do not open."""

import json
import uuid
from typing import Any

from vungcao.common import sealing
from vungcao.field_capture.models import Submission, SubmissionAttachment

XML_PURPOSE = "vungcao odk submission"
CHANGES_PURPOSE = "vungcao odk changes"
ATTACHMENT_PURPOSE = "vungcao odk attachment"


def xml_sealed(submission_id: uuid.UUID, xml: bytes) -> bytes:
    return sealing.seal(xml, purpose=XML_PURPOSE, associated=submission_id.bytes)


def submission_xml(submission: Submission) -> bytes:
    """The instance as the phone sent it; ``sealing.SealBrokenError`` when sealed under another key."""
    return sealing.unseal(submission.xml, purpose=XML_PURPOSE, associated=submission.pk.bytes)


def changes_sealed(submission_id: uuid.UUID, entries: list[dict[str, Any]]) -> bytes:
    """A plan's described changes (``imports.changes``' entries) sealed; empty when there are none."""
    if not entries:
        return b""
    content = json.dumps(entries, ensure_ascii=False, separators=(",", ":")).encode()
    return sealing.seal(content, purpose=CHANGES_PURPOSE, associated=submission_id.bytes)


def submission_changes(submission: Submission) -> list[dict[str, Any]]:
    """The change the submission described when it arrived, as ``imports.changes.changes_shown`` shows
    entries; none when it changed nothing or was refused."""
    if not submission.changes:
        return []
    content = sealing.unseal(submission.changes, purpose=CHANGES_PURPOSE, associated=submission.pk.bytes)
    entries: list[dict[str, Any]] = json.loads(content)
    return entries


def _file_key(submission_id: uuid.UUID, filename: str) -> bytes:
    return submission_id.bytes + filename.encode()


def attachment_sealed(submission_id: uuid.UUID, filename: str, content: bytes) -> bytes:
    return sealing.seal(content, purpose=ATTACHMENT_PURPOSE, associated=_file_key(submission_id, filename))


def attachment_content(attachment: SubmissionAttachment) -> bytes:
    """The file as the phone sent it."""
    return sealing.unseal(
        attachment.content,
        purpose=ATTACHMENT_PURPOSE,
        associated=_file_key(attachment.submission_id, attachment.filename),
    )
