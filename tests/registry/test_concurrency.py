"""Two writes at once on PostgreSQL: imports, answers and approvals lock what they decide from.

Each test holds a commune's review locked in the test's own transaction, as another request would, so
that the writes it starts in threads meet at the same moment every time instead of by chance.
"""

import datetime
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

from tests.conftest import BA_CHE, PASSWORD, QUANG_NINH, ROW_LOCK_TESTS, TIEN_YEN, current_unit
from tests.imports.helpers import preview, preview_and_apply
from tests.registry.conftest import POOR, STANDARD, QuestionnaireRow, csv_text, recorded
from vungcao.accounts import services as account_services
from vungcao.accounts.models import Role, User
from vungcao.common.errors import ApplicationError, ImportRefusedError
from vungcao.geo.models import AdministrativeUnit
from vungcao.geo.services import villages
from vungcao.imports import services as import_services
from vungcao.imports import tasks as import_tasks
from vungcao.imports.models import ImportBatch
from vungcao.registry import identity
from vungcao.registry.models import (
    Assessment,
    CommuneReview,
    FlowCount,
    Household,
    HouseholdEvent,
    Member,
    ReviewCount,
    ReviewEvent,
)
from vungcao.registry.services import assessments, households, reviews
from vungcao.registry.services.households import IDENTITY_TAKEN_ELSEWHERE
from vungcao.registry.services.questionnaire import CHANGED_MEANWHILE, NO_OPEN_REVIEW

pytestmark = ROW_LOCK_TESTS

# How long a write must stay blocked behind a held lock for the test to call it waiting.
BLOCKED_FOR = 1.0


@dataclass
class Outcome:
    value: object = None
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)


def started(work: Callable[[], object]) -> tuple[threading.Thread, Outcome]:
    """Run ``work`` in a thread with its own database connection, keeping its result or error."""
    outcome = Outcome()

    def run() -> None:
        try:
            outcome.value = work()
        except BaseException as error:
            outcome.error = error
        finally:
            outcome.done.set()
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


@contextmanager
def review_held(*held: CommuneReview) -> Iterator[None]:
    """The reviews locked by another transaction for as long as the block runs."""
    with transaction.atomic():
        list(CommuneReview.objects.select_for_update().filter(pk__in=[review.pk for review in held]))
        yield


@contextmanager
def households_held(*held: Household) -> Iterator[None]:
    with transaction.atomic():
        list(Household.objects.select_for_update().filter(pk__in=[household.pk for household in held]))
        yield


def still_waiting(*outcomes: Outcome) -> bool:
    time.sleep(BLOCKED_FOR)
    return not any(outcome.done.is_set() for outcome in outcomes)


@pytest.fixture
def setting(units_loaded: None) -> dict[str, object]:
    """Quảng Ninh's 2025 review open, with an officer and three villages in Ba Chẽ and in Tiên Yên."""
    administrator = account_services.user_create(
        username="admin", password=PASSWORD, role=Role.ADMINISTRATOR, scope=None
    )
    officers = {}
    for code in (BA_CHE, TIEN_YEN):
        commune = current_unit(code)
        for name in ("Thôn Một", "Thôn Hai", "Thôn Ba"):
            villages.village_create(user=administrator, commune=commune, name=name)
        officers[code] = account_services.user_create(
            username=f"officer-{code}", password=PASSWORD, role=Role.COMMUNE_OFFICER, scope=commune
        )
    province_officer = account_services.user_create(
        username="province", password=PASSWORD, role=Role.PROVINCE_OFFICER, scope=current_unit(QUANG_NINH)
    )
    cycle = reviews.review_cycle_open(
        user=administrator, province=current_unit(QUANG_NINH), year=2025, standard_identifier=STANDARD
    )
    return {
        "officers": officers,
        "province_officer": province_officer,
        "reviews": {code: cycle.communes.get(commune__code=code) for code in (BA_CHE, TIEN_YEN)},
    }


def file_of(row: QuestionnaireRow, household: str, names: list[str], **given: object) -> str:
    rows = [
        row(
            household, name, relation="chủ hộ" if index == 0 else "con", birth_year=str(1970 + index), **given
        )
        for index, name in enumerate(names)
    ]
    return csv_text(rows)


def current_members(code: str) -> list[str]:
    return sorted(
        Member.objects.filter(household__code=code, left_on__isnull=True).values_list("full_name", flat=True)
    )


def test_an_import_applied_while_the_review_is_submitted_writes_nothing(setting, questionnaire_row) -> None:
    """Given a commune with one assessed household and a second file previewed, when the commune submits
    while the file is being applied, then the import waits for the submission and is refused by it."""
    officer: User = setting["officers"][BA_CHE]  # type: ignore[index]
    review: CommuneReview = setting["reviews"][BA_CHE]  # type: ignore[index]
    preview_and_apply("questionnaire", file_of(questionnaire_row, "H1", ["Hoàng Văn A"]), user=officer)
    batch = preview("questionnaire", file_of(questionnaire_row, "H2", ["Lý Văn B"]), user=officer)
    assert batch.status == ImportBatch.Status.READY

    with review_held(review):
        thread, outcome = started(lambda: import_services.import_apply(user=officer, batch=batch))
        assert still_waiting(outcome)
        reviews.commune_review_submit(user=officer, review=review)
    thread.join()

    assert isinstance(outcome.error, ImportRefusedError)
    assert [problem.reason for problem in outcome.error.report] == [str(NO_OPEN_REVIEW).format(year=2025)]
    assert list(Household.objects.values_list("code", flat=True)) == ["H1"]
    assert Assessment.objects.count() == 1
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.REFUSED


def test_two_imports_of_the_same_household_at_once_never_merge(setting, questionnaire_row) -> None:
    """Given two files previewed as adding household H1 with different members, when both are applied at
    the same moment, then they run one after the other: the first writes H1, and the second, planned again
    after it, no longer does what its preview showed and writes nothing (its batch shows the new preview).
    H1 has exactly the members of the file applied first, each identity number once."""
    officer: User = setting["officers"][BA_CHE]  # type: ignore[index]
    review: CommuneReview = setting["reviews"][BA_CHE]  # type: ignore[index]
    first = preview(
        "questionnaire",
        csv_text(
            [
                questionnaire_row("H1", "Hoàng Văn A", identity_number="022080000001"),
                questionnaire_row("H1", "Hoàng Thị C", relation="con", identity_number="022080000002"),
            ]
        ),
        user=officer,
    )
    second = preview(
        "questionnaire",
        csv_text(
            [
                questionnaire_row("H1", "Hoàng Văn A", identity_number="022080000001", income=900_000),
                questionnaire_row(
                    "H1", "Hoàng Văn D", relation="con", identity_number="022080000003", income=900_000
                ),
                questionnaire_row(
                    "H1", "Hoàng Văn E", relation="con", identity_number="022080000004", income=900_000
                ),
            ]
        ),
        user=officer,
    )

    assert (first.status, second.status) == (ImportBatch.Status.READY, ImportBatch.Status.READY)
    with review_held(review):
        threads = [
            started(lambda batch=batch: import_services.import_apply(user=officer, batch=batch))
            for batch in (first, second)
        ]
        assert still_waiting(*(outcome for _thread, outcome in threads))
    for thread, _outcome in threads:
        thread.join()

    errors = [outcome.error for _thread, outcome in threads]
    assert sorted(type(error).__name__ for error in errors) == ["ChangedSincePreviewError", "NoneType"]
    written, refused = (first, second) if errors[0] is None else (second, first)
    written.refresh_from_db()
    refused.refresh_from_db()
    assert (written.status, refused.status) == (ImportBatch.Status.APPLIED, ImportBatch.Status.READY)
    assert refused.error == str(import_services.CHANGED_SINCE_PREVIEW)
    assert (refused.created_count, refused.updated_count) == (0, 1)
    expected = (
        ["Hoàng Thị C", "Hoàng Văn A"] if written == first else ["Hoàng Văn A", "Hoàng Văn D", "Hoàng Văn E"]
    )
    assert current_members("H1") == expected
    assert Member.objects.count() == len(expected)
    assessment = Assessment.objects.get(household__code="H1")
    assert assessment.income_per_capita_month == (1_200_000 if written == first else 900_000)
    assert Household.objects.count() == 1


def test_the_same_file_applied_twice_at_once_is_written_once(setting, questionnaire_row, client) -> None:
    """Given one previewed file, when its apply button is pressed twice at the same moment, then both
    requests answer with a page (no server error) and one apply is queued; when that task is run twice at
    the same moment (the queue delivering it twice to two workers), then one waits for the review, the
    other leaves at once, and the file is written once."""
    officer: User = setting["officers"][BA_CHE]  # type: ignore[index]
    review: CommuneReview = setting["reviews"][BA_CHE]  # type: ignore[index]
    batch = preview(
        "questionnaire", file_of(questionnaire_row, "H1", ["Hoàng Văn A", "Hoàng Văn B"]), user=officer
    )
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    url = f"/imports/{batch.pk}/apply/"

    pressed = [started(lambda: client.post(url)) for _ in range(2)]
    for thread, _outcome in pressed:
        thread.join()
    assert [(outcome.error, getattr(outcome.value, "status_code", None)) for _thread, outcome in pressed] == [
        (None, 302),
        (None, 302),
    ]
    queued = DBTaskResult.objects.get(task_path__endswith="import_batch_apply_task")
    with review_held(review):
        runs = [started(lambda: import_tasks.import_batch_apply_task.call(**queued.args_kwargs["kwargs"]))]
        runs.append(
            started(lambda: import_tasks.import_batch_apply_task.call(**queued.args_kwargs["kwargs"]))
        )
        time.sleep(BLOCKED_FOR)
        assert sorted(outcome.done.is_set() for _thread, outcome in runs) == [False, True]
    for thread, _outcome in runs:
        thread.join()

    assert [outcome.error for _thread, outcome in runs] == [None, None]
    batch.refresh_from_db()
    assert (batch.status, batch.created_count) == (ImportBatch.Status.APPLIED, 1)
    assert (Household.objects.count(), Member.objects.count(), Assessment.objects.count()) == (1, 2, 1)


def test_answers_saved_while_the_review_is_submitted_are_refused(setting, questionnaire_row) -> None:
    """Given a household assessed in an open review, when its answers are corrected by hand while the
    commune submits, then the correction waits and is refused; the stored answers are unchanged."""
    officer: User = setting["officers"][BA_CHE]  # type: ignore[index]
    review: CommuneReview = setting["reviews"][BA_CHE]  # type: ignore[index]
    preview_and_apply("questionnaire", file_of(questionnaire_row, "H1", ["Hoàng Văn A"]), user=officer)
    household = Household.objects.get(code="H1")
    answers = {
        "area": "rural",
        "income_per_capita_month": 500_000,
        **{k: v == "có" for k, v in recorded(["employment"]).items()},
    }

    with review_held(review):
        thread, outcome = started(
            lambda: assessments.assessment_record(
                user=officer, review=review, household=household, answers=answers
            )
        )
        assert still_waiting(outcome)
        reviews.commune_review_submit(user=officer, review=review)
    thread.join()

    assert isinstance(outcome.error, ApplicationError)
    review.refresh_from_db()
    assert outcome.error.message == str(reviews.ANSWERS_CLOSED).format(state=review.get_state_display())
    assert Assessment.objects.get(household=household).income_per_capita_month == 1_200_000


def test_two_approvals_at_once_approve_once(setting, questionnaire_row) -> None:
    """Given a submitted commune, when two province officers approve it at the same moment, then one
    approval is recorded and the other is told the review is already approved."""
    officer: User = setting["officers"][BA_CHE]  # type: ignore[index]
    province_officer: User = setting["province_officer"]  # type: ignore[assignment]
    review: CommuneReview = setting["reviews"][BA_CHE]  # type: ignore[index]
    preview_and_apply("questionnaire", file_of(questionnaire_row, "H1", ["Hoàng Văn A"]), user=officer)
    reviews.commune_review_submit(user=officer, review=review)

    with review_held(review):
        threads = [
            started(lambda: reviews.commune_review_approve(user=province_officer, review=review))
            for _ in range(2)
        ]
        assert still_waiting(*(outcome for _thread, outcome in threads))
    for thread, _outcome in threads:
        thread.join()

    errors = sorted((type(outcome.error).__name__ for _thread, outcome in threads), key=str)
    assert errors == ["ApplicationError", "NoneType"]
    review.refresh_from_db()
    assert review.state == CommuneReview.State.APPROVED
    assert ReviewEvent.objects.filter(commune_review=review, action=ReviewEvent.Action.APPROVED).count() == 1


def test_a_recall_and_an_approval_at_once_end_in_one_consistent_state(setting, questionnaire_row) -> None:
    """Given a submitted commune, when its officer recalls the submission while the province approves
    it, then exactly one of them is done and recorded, the other refused with its reason, and the
    state is the one the recorded event says."""
    officer: User = setting["officers"][BA_CHE]  # type: ignore[index]
    province_officer: User = setting["province_officer"]  # type: ignore[assignment]
    review: CommuneReview = setting["reviews"][BA_CHE]  # type: ignore[index]
    preview_and_apply("questionnaire", file_of(questionnaire_row, "H1", ["Hoàng Văn A"]), user=officer)
    reviews.commune_review_submit(user=officer, review=review)

    with review_held(review):
        recall = started(
            lambda: reviews.commune_review_recall(user=officer, review=review, reason="Sửa hộ H1")
        )
        approval = started(lambda: reviews.commune_review_approve(user=province_officer, review=review))
        assert still_waiting(recall[1], approval[1])
    for thread, _outcome in (recall, approval):
        thread.join()

    outcomes = {"recall": recall[1], "approval": approval[1]}
    succeeded = [name for name, outcome in outcomes.items() if outcome.error is None]
    assert len(succeeded) == 1
    refused = next(outcome for outcome in outcomes.values() if outcome.error is not None)
    assert isinstance(refused.error, ApplicationError)
    review.refresh_from_db()
    actions = list(
        ReviewEvent.objects.filter(commune_review=review)
        .exclude(action__in=[ReviewEvent.Action.OPENED, ReviewEvent.Action.SUBMITTED])
        .values_list("action", flat=True)
    )
    if succeeded == ["recall"]:
        assert (review.state, actions) == (CommuneReview.State.OPEN, [ReviewEvent.Action.RECALLED])
    else:
        assert (review.state, actions) == (CommuneReview.State.APPROVED, [ReviewEvent.Action.APPROVED])
        assert refused.error.message == str(reviews.ALREADY_DECIDED).format(state=review.get_state_display())


def test_one_identity_number_imported_in_two_communes_at_once_is_registered_once(
    setting, questionnaire_row
) -> None:
    """Given two communes' files that give the same identity number to different people, when both are
    applied at the same moment, then one is written and the other refused without naming the household
    or the commune that holds the number."""
    number = "022080009999"
    files = {}
    for code, household, village in ((BA_CHE, "BC1", "06970-001"), (TIEN_YEN, "TY1", "06862-001")):
        files[code] = preview(
            "questionnaire",
            csv_text(
                [questionnaire_row(household, "Người " + code, village=village, identity_number=number)]
            ),
            user=setting["officers"][code],  # type: ignore[index]
        )
        assert files[code].status == ImportBatch.Status.READY, files[code].problems

    with review_held(*setting["reviews"].values()):  # type: ignore[attr-defined]
        threads = {
            code: started(
                lambda code=code: import_services.import_apply(
                    user=setting["officers"][code], batch=files[code]
                )  # type: ignore[index]
            )
            for code in files
        }
        assert still_waiting(*(outcome for _thread, outcome in threads.values()))
    for thread, _outcome in threads.values():
        thread.join()

    outcomes = [outcome for _thread, outcome in threads.values()]
    refused = [outcome.error for outcome in outcomes if outcome.error is not None]
    assert len(refused) == 1
    error = refused[0]
    message = (
        error.message
        if not isinstance(error, ImportRefusedError)
        else " ".join(problem.reason for problem in error.report)
    )
    assert message in {str(CHANGED_MEANWHILE), str(IDENTITY_TAKEN_ELSEWHERE)}
    assert "BC1" not in message
    assert "TY1" not in message
    assert Member.objects.filter(identity_digest=identity.identity_digest(number)).count() == 1
    assert Household.objects.count() == 1


def test_two_moves_of_one_household_at_once_keep_a_true_history(setting, questionnaire_row) -> None:
    """Given a household in village 001, when it is moved to 002 and to 003 at the same moment, then the
    moves run one after the other: the second starts where the first ended, and the household lives
    where the last move took it."""
    officer: User = setting["officers"][BA_CHE]  # type: ignore[index]
    preview_and_apply("questionnaire", file_of(questionnaire_row, "H1", ["Hoàng Văn A"]), user=officer)
    household = Household.objects.get(code="H1")
    targets = [AdministrativeUnit.objects.get(code=f"{BA_CHE}-00{number}") for number in (2, 3)]

    with households_held(household):
        threads = [
            started(
                lambda village=village: households.household_move(
                    user=officer, household=household, to_village=village, on=datetime.date(2026, 1, 15)
                )
            )
            for village in targets
        ]
        assert still_waiting(*(outcome for _thread, outcome in threads))
    for thread, _outcome in threads:
        thread.join()

    assert [outcome.error for _thread, outcome in threads] == [None, None]
    moves = list(
        HouseholdEvent.objects.filter(household=household, kind=HouseholdEvent.Kind.MOVED)
        .order_by("pk")
        .values_list("from_village__code", "to_village__code")
    )
    assert len(moves) == 2
    assert moves[0][0] == f"{BA_CHE}-001"
    assert moves[1][0] == moves[0][1]
    household.refresh_from_db()
    assert household.village.code == moves[1][1]


def test_two_households_merged_into_each_other_at_once_merge_once(setting, questionnaire_row) -> None:
    """Given H1 and H2, when H1 is merged into H2 and H2 into H1 at the same moment, then one merge is
    done, the other is refused, and every member is a current member of one open household, once."""
    officer: User = setting["officers"][BA_CHE]  # type: ignore[index]
    rows = [
        questionnaire_row("H1", "Hoàng Văn A", identity_number="022080000011"),
        questionnaire_row("H2", "Lý Văn B", identity_number="022080000012"),
    ]
    preview_and_apply("questionnaire", csv_text(rows), user=officer)
    first, second = Household.objects.get(code="H1"), Household.objects.get(code="H2")

    with households_held(first, second):
        threads = [
            started(
                lambda pair=pair: households.household_merge(
                    user=officer, household=pair[0], into=pair[1], on=datetime.date(2026, 1, 15)
                )
            )
            for pair in ((first, second), (second, first))
        ]
        assert still_waiting(*(outcome for _thread, outcome in threads))
    for thread, _outcome in threads:
        thread.join()

    errors = [outcome.error for _thread, outcome in threads]
    assert sorted(type(error).__name__ for error in errors) == ["ApplicationError", "NoneType"]
    assert Household.objects.filter(dissolved_on__isnull=True).count() == 1
    current = list(Member.objects.filter(left_on__isnull=True).values_list("household__code", "full_name"))
    assert len(current) == 2
    assert len({code for code, _name in current}) == 1


def test_answers_in_one_commune_do_not_wait_for_another_communes_review(setting, questionnaire_row) -> None:
    """Given Ba Chẽ's review locked by a long write (an import being applied), when an officer of Tiên
    Yên saves a household's answers in the same province's review, then it is saved at once."""
    officer: User = setting["officers"][TIEN_YEN]  # type: ignore[index]
    review: CommuneReview = setting["reviews"][TIEN_YEN]  # type: ignore[index]
    preview_and_apply(
        "questionnaire",
        file_of(questionnaire_row, "T1", ["Vi Văn B"], village=f"{TIEN_YEN}-001"),
        user=officer,
    )
    household = Household.objects.get(code="T1")
    answers = {
        "area": "rural",
        "income_per_capita_month": 500_000,
        **{k: v == "có" for k, v in recorded(["employment"]).items()},
    }

    # Held as every write into a review holds it (an answer saved, an import applied, a submission).
    with transaction.atomic():
        reviews._locked(setting["reviews"][BA_CHE])  # type: ignore[index]
        thread, outcome = started(
            lambda: assessments.assessment_record(
                user=officer, review=review, household=household, answers=answers
            )
        )
        assert outcome.done.wait(timeout=30)
    thread.join()

    assert outcome.error is None
    assert Assessment.objects.get(household=household).income_per_capita_month == 500_000


def test_two_answers_in_one_commune_at_once_are_both_counted(setting) -> None:
    """Given Ba Chẽ's review held by another transaction, when two officers' answers for two households
    arrive at once, then both wait, both are stored, and the review counts both (each recount saw the
    other's answer once it was committed)."""
    review = setting["reviews"][BA_CHE]
    officer = setting["officers"][BA_CHE]
    village = review.commune.children.order_by("code").first()
    households = [
        Household.objects.create(code=f"C-{number}", village=village, area="rural", head_ethnic_group="09")
        for number in range(2)
    ]
    with review_held(review):
        writes = [
            started(
                lambda household=household: assessments.assessment_record(
                    user=officer,
                    review=review,
                    household=household,
                    answers={"area": "rural", "income_per_capita_month": 5_000_000, **recorded(())},
                )
            )
            for household in households
        ]
        assert still_waiting(*(outcome for _thread, outcome in writes))
    for thread, outcome in writes:
        thread.join()
        assert outcome.error is None, outcome.error
    assert list(ReviewCount.objects.filter(commune_review=review).values_list("status", "households")) == [
        ("not_poor", 2)
    ]


def test_a_move_and_an_answer_for_one_household_at_once_are_both_in_its_flows(
    setting, questionnaire_row
) -> None:
    """Given H1 assessed not poor in Ba Chẽ's village 001 and the review held by another transaction, when
    it moves to village 002 while its answers are corrected to poor, then both wait for the review (the
    move locks the reviews the household was assessed in before the household, as an answer does), and
    the review's flows count H1 poor in village 002."""
    review = setting["reviews"][BA_CHE]
    officer: User = setting["officers"][BA_CHE]  # type: ignore[index]
    preview_and_apply("questionnaire", file_of(questionnaire_row, "H1", ["Hoàng Văn A"]), user=officer)
    household = Household.objects.get(code="H1")
    to_village = AdministrativeUnit.objects.get(code=f"{BA_CHE}-002")
    poor = {"area": "rural", "income_per_capita_month": 1_000_000, **recorded(POOR["deprived"])}
    with review_held(review):
        writes = [
            started(
                lambda: households.household_move(
                    user=officer, household=household, to_village=to_village, on=datetime.date(2025, 9, 1)
                )
            ),
            started(
                lambda: assessments.assessment_record(
                    user=officer, review=review, household=household, answers=poor
                )
            ),
        ]
        assert still_waiting(*(outcome for _thread, outcome in writes))
    for thread, outcome in writes:
        thread.join()
        assert outcome.error is None, outcome.error
    assert list(
        FlowCount.objects.filter(commune_review=review).values_list(
            "village__code", "review_status", "households"
        )
    ) == [(to_village.code, "poor", 1)]


def test_a_first_answer_and_a_move_of_the_household_at_once_count_it_once(setting) -> None:
    """Given H2 registered in Ba Chẽ's village 001 and not yet assessed (no review of its own to lock),
    when its first answer arrives while it moves to village 002, both waiting on the household held by
    another transaction, then one runs after the other (the answer locks the household too) and the
    review's flows count H2 once, in village 002."""
    review = setting["reviews"][BA_CHE]
    officer: User = setting["officers"][BA_CHE]  # type: ignore[index]
    village = AdministrativeUnit.objects.get(code=f"{BA_CHE}-001")
    to_village = AdministrativeUnit.objects.get(code=f"{BA_CHE}-002")
    household = Household.objects.create(code="H2", village=village, area="rural", head_ethnic_group="09")
    answers = {"area": "rural", "income_per_capita_month": 5_000_000, **recorded(())}
    with households_held(household):
        writes = [
            started(
                lambda: assessments.assessment_record(
                    user=officer, review=review, household=household, answers=answers
                )
            ),
            started(
                lambda: households.household_move(
                    user=officer, household=household, to_village=to_village, on=datetime.date(2025, 9, 1)
                )
            ),
        ]
        assert still_waiting(*(outcome for _thread, outcome in writes))
    for thread, outcome in writes:
        thread.join()
        assert outcome.error is None, outcome.error
    assert list(
        FlowCount.objects.filter(commune_review=review).values_list("village__code", "households")
    ) == [(to_village.code, 1)]
