"""Phones' submissions made up for the demo and the benchmark: an instance of a review's form written as
ODK Collect sends it, from answers given as the phone records them (codes, ``yes``/``no`` to the question
as asked, numbers with a decimal point); a household's stored answers as a phone records them; and the
demo's submissions.

The demo's commune officers whose commune's review of the latest cycle is open for entry each sent, from
their phone, SYNTHETIC answers through the real intake (``services.intake.submission_receive``), so that
the pages show every state a submission can be in: answers changed for listed households and a new
household with its members waiting for an officer, one accepted (``services.decisions``), one rejected by
an officer with the reason, one refused on arrival (a household of another commune), one superseded by a
later sending for the same household. Instance ids are derived from the form and a name, so the same
submissions are recognised when the demo is built again: nothing is added then.
"""

import datetime
import time
import uuid
import xml.etree.ElementTree as ElementTree
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from itertools import takewhile

from django.db import transaction

from vungcao.accounts.models import User
from vungcao.common.errors import ApplicationError
from vungcao.engine.choices import NO, YES
from vungcao.engine.poverty import Standard
from vungcao.engine.poverty.standard import AREA, INCOME
from vungcao.field_capture import importers, xforms
from vungcao.field_capture.models import Submission
from vungcao.field_capture.services import decisions, intake
from vungcao.field_capture.xlsform import Row, XLSForm
from vungcao.imports.models import ImportBatch
from vungcao.registry import classification
from vungcao.registry.models import Assessment, CommuneReview, Household, Member
from vungcao.registry.services.reviews import ENTRY_STATES

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


def phone_answers(standard: Standard, assessment: Assessment) -> dict[str, str]:
    """An assessment's answers as a phone records them: a yes/no question answered as asked (the
    opposite of the stored value for a question asked the other way round), numbers with a decimal
    point, a blank answer empty."""
    stored: Mapping[str, object] = {
        **assessment.answers,
        AREA: assessment.area,
        INCOME: assessment.income_per_capita_month,
    }
    recorded = {}
    for input_field in standard.all_fields:
        value = stored.get(input_field.name)
        if value is None:
            recorded[input_field.name] = ""
        elif input_field.type == "boolean":
            recorded[input_field.name] = YES if input_field.stored_from_answer(True) == value else NO
        else:
            recorded[input_field.name] = str(value)
    return recorded


# --- The demo's submissions -------------------------------------------------------------------------------

State = Submission.State
DEMO_INSTANCES = uuid.UUID("5b0f6c2e-7a1d-4c8e-9f3a-2d6b8e4c1a07")
"""The namespace of the demo's instance ids (``uuid:`` and a UUID 5 of the form id and a name)."""
DEVICE = "collect:demo"
USER_AGENT = "org.odk.collect.android/v2025.2.1 [demo]"
PHONE_TIME = datetime.timezone(datetime.timedelta(hours=7))
REJECTION = "Hộ đã khai lại thu nhập trực tiếp tại UBND xã; bản ghi này nhập nhầm số liệu, không dùng. [demo]"
NEW_ADDRESS = "Nhà mới tách hộ, cạnh nhà văn hóa thôn [demo]"
LISTED_NEEDED = 6
"""The listed households the demo's submissions are about (see ``_households``)."""
LOOKED_AT = 50


def _new_members(ethnic_group: str, year: int) -> tuple[dict[str, str], ...]:
    """A young couple and their child, SYNTHETIC, as the phone records them."""
    common = {"ethnic_group": ethnic_group, "identity_number": "", "disability": NO, "health_insurance": YES}
    return (
        {
            **common,
            "member_name": "Lò Văn Pánh",
            "sex": Member.Sex.MALE,
            "birth_year": str(year - 29),
            "relation_to_head": Member.Relation.HEAD,
            "schooling": Member.Schooling.LOWER_SECONDARY,
            "work": Member.Work.OWN_FARM,
        },
        {
            **common,
            "member_name": "Lường Thị Ín",
            "sex": Member.Sex.FEMALE,
            "birth_year": str(year - 26),
            "relation_to_head": Member.Relation.SPOUSE,
            "schooling": Member.Schooling.PRIMARY,
            "work": Member.Work.OWN_FARM,
        },
        {
            **common,
            "member_name": "Lò Thị Mai",
            "sex": Member.Sex.FEMALE,
            "birth_year": str(year - 4),
            "relation_to_head": Member.Relation.CHILD,
            "schooling": Member.Schooling.PRESCHOOL,
            "work": Member.Work.NOT_WORKING,
        },
    )


class _Phone:
    """An officer's phone sending instances of the review's form, each finished some minutes after the
    one before (of two for one household, the later waits)."""

    def __init__(self, officer: User, review: CommuneReview) -> None:
        self.officer, self.review = officer, review
        self.form = xforms.review_xlsform(review=review)
        self.standard = classification.standard(review.cycle.standard_identifier)
        self.finished = datetime.datetime(review.cycle.year, 11, 3, 8, 5, tzinfo=PHONE_TIME)

    def instance_id(self, name: str) -> str:
        """``uuid:`` and a UUID 5 of the form id and the name: the same on every build of the demo."""
        form_id = self.form.settings["form_id"]
        return f"uuid:{uuid.uuid5(DEMO_INSTANCES, f'{form_id} {name}')}"

    def listed(self, assessment: Assessment) -> dict[str, str]:
        """A listed household's answers as its assessment recorded them."""
        return {
            "village_code": assessment.household.village.code,
            "new_household": NO,
            "household_code": assessment.household.code,
            **phone_answers(self.standard, assessment),
        }

    def changed(self, assessment: Assessment, *, income: float = 1.0, yes_no: bool = False) -> dict[str, str]:
        """The household's answers with its income changed by the factor ``income`` (in thousands of
        dong, as officers round it) and, with ``yes_no``, its first yes/no question answered the other
        way."""
        answers = self.listed(assessment)
        answers[INCOME] = str(round(int(answers[INCOME]) * income / 1000) * 1000)
        if yes_no:
            name = next(field.name for field in self.standard.all_fields if field.type == "boolean")
            answers[name] = NO if answers[name] == YES else YES
        return answers

    def send(
        self,
        name: str,
        answers: Mapping[str, str],
        *,
        expected: str,
        members: Sequence[Mapping[str, str]] = (),
    ) -> Submission:
        """Send the instance ``name`` names, answered ``answers``; it must arrive in the ``expected``
        state."""
        self.finished += datetime.timedelta(minutes=23)
        moments = {
            "start": (self.finished - datetime.timedelta(minutes=14)).isoformat(timespec="milliseconds"),
            "end": self.finished.isoformat(timespec="milliseconds"),
            "deviceid": DEVICE,
        }
        xml = instance_xml(
            self.form, answers={**moments, **answers}, members=members, instance_id=self.instance_id(name)
        )
        receipt = intake.submission_receive(
            user=self.officer,
            xml=xml,
            attachments=(),
            incomplete=False,
            device_id=DEVICE,
            user_agent=USER_AGENT,
        )
        if receipt.submission.state != expected:
            raise ApplicationError(
                f"The demo's submission {name} to {self.review} arrived {receipt.submission.state}, not "
                f"{expected}: {receipt.message}"
            )
        return receipt.submission


def _new_household_code(village_code: str) -> str:
    """The village's next household number after the highest given."""
    codes = Household.objects.filter(code__startswith=f"{village_code}-").values_list("code", flat=True)
    numbers = [int(code.rpartition("-")[2]) for code in codes if code.rpartition("-")[2].isdigit()]
    return f"{village_code}-{max(numbers, default=0) + 1:04d}"


def _accept(officer: User, submission: Submission) -> None:
    """Accept the submission at once, as its page does (with its plan's fingerprint)."""
    plan = importers.submission_plan(user=officer, submission=submission)
    batch = decisions.submission_accept_one(user=officer, submission=submission, fingerprint=plan.fingerprint)
    if batch.status != ImportBatch.Status.APPLIED:
        raise ApplicationError(f"The demo's submission {submission} was not accepted: {batch.problems}")


SENDINGS = (
    "income-raised",
    "yes-no-changed",
    "sent-first",
    "sent-again",
    "new-household",
    "accepted",
    "rejected",
    "other-commune",
)
"""The names of the instances each officer's phone sent, in the order sent."""


def _households(review: CommuneReview) -> tuple[list[Assessment], Assessment, Household]:
    """The households the submissions are about: five listed ones assessed in the review (their
    assessments), one like the new household (three members living in it, when one of the first few is:
    its answers are copied), and one of another commune."""
    assessed = list(
        Assessment.objects.filter(commune_review=review, household__dissolved_on__isnull=True)
        .select_related("household__village")
        .order_by("household__code")[:LOOKED_AT]
    )
    other = (
        Household.objects.filter(dissolved_on__isnull=True)
        .exclude(village__parent=review.commune_id)
        .order_by("code")
        .first()
    )
    if len(assessed) < LISTED_NEEDED or other is None:
        raise ApplicationError(
            f"The demo's phones need {LISTED_NEEDED} households assessed in {review} and one elsewhere."
        )
    listed, others = assessed[: LISTED_NEEDED - 1], assessed[LISTED_NEEDED - 1 :]
    living = Counter(
        Member.objects.filter(
            household__in=[assessment.household_id for assessment in others], left_on__isnull=True
        ).values_list("household_id", flat=True)
    )
    like_new = next((assessment for assessment in others if living[assessment.household_id] == 3), others[0])
    return listed, like_new, other


def _commune_submissions(officer: User, review: CommuneReview) -> int:
    """The officer's phone's submissions to the review (see the module): how many were made, none when
    they are there."""
    phone = _Phone(officer, review)
    form_id = phone.form.settings["form_id"]
    sent = [phone.instance_id(name) for name in SENDINGS]
    if Submission.objects.filter(form_id=form_id, instance_id__in=sent).exists():
        return 0
    (raised, yes_no, twice, accepted, rejected), like_new, other = _households(review)
    phone.send("income-raised", phone.changed(raised, income=1.3), expected=State.PENDING)
    phone.send("yes-no-changed", phone.changed(yes_no, yes_no=True), expected=State.PENDING)
    phone.send("sent-first", phone.changed(twice, income=0.9), expected=State.PENDING)
    phone.send("sent-again", phone.changed(twice, income=0.6), expected=State.PENDING)
    head = Member.objects.filter(household=like_new.household, relation_to_head=Member.Relation.HEAD).first()
    new_household = {
        **phone.listed(like_new),
        "new_household": YES,
        "household_code": "",
        "new_household_code": _new_household_code(like_new.household.village.code),
        "address": NEW_ADDRESS,
    }
    members = _new_members(head.ethnic_group if head else "", review.cycle.year)
    phone.send("new-household", new_household, members=members, expected=State.PENDING)
    _accept(officer, phone.send("accepted", phone.changed(accepted, income=1.1), expected=State.PENDING))
    to_reject = phone.send("rejected", phone.changed(rejected, income=0.5), expected=State.PENDING)
    decisions.submissions_reject(user=officer, submissions=[to_reject], reason=REJECTION)
    phone.send(
        "other-commune", {**phone.listed(raised), "household_code": other.code}, expected=State.REFUSED
    )
    return len(SENDINGS)


def _open_review(officer: User) -> CommuneReview | None:
    """The review of the latest cycle of the officer's commune, when it is open for entry."""
    review = (
        CommuneReview.objects.filter(commune=officer.scope_id)
        .select_related("cycle", "commune")
        .order_by("-cycle__year")
        .first()
    )
    return review if review is not None and review.state in ENTRY_STATES else None


@transaction.atomic
def field_capture_demo_ensure(*, officers: Sequence[User]) -> str:
    """Send the demo's phone submissions of each commune officer whose commune's latest review is open,
    unless they are there (see the module); a one-line summary."""
    started = time.perf_counter()
    made: dict[str, int] = {}
    for officer in officers:
        review = _open_review(officer)
        if review is not None:
            made[review.commune.name] = _commune_submissions(officer, review)
    if not any(made.values()):
        return "field capture demo: phone submissions already present or no open review; nothing added"
    communes = ", ".join(f"{name}: {count}" for name, count in made.items())
    return (
        f"field capture demo: {sum(made.values())} SYNTHETIC phone submissions ({communes}) waiting, "
        f"accepted, rejected, refused and superseded, in {time.perf_counter() - started:.1f} s"
    )
