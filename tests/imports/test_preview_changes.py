"""The questionnaire's preview: what changes, household by household and member by member, before anything
is written; members missing from the file kept unless the official chooses otherwise; the apply writes
what the preview showed or nothing."""

import datetime

import pytest
from django.utils import translation

from tests.conftest import client_for
from tests.imports.helpers import (
    applied,
    committed_post,
    english,
    preview,
    preview_and_apply,
    run_tasks,
    uploaded,
)
from tests.registry.conftest import (  # the review's fixtures, shared with tests/registry
    QuestionnaireRow,
    ba_che_review,
    ba_che_villages,
    csv_text,
    cycle_2025,
    questionnaire_row,
)
from vungcao.common.errors import ApplicationError
from vungcao.imports import background, services
from vungcao.imports.changes import (
    SHOWN_KINDS,
    ChangeShown,
    FieldShown,
    MemberShown,
    changes_shown,
    import_batch_changes,
)
from vungcao.imports.models import ImportBatch
from vungcao.registry import identity
from vungcao.registry.models import Assessment, Household, Member
from vungcao.registry.services.questionnaire import questionnaire_plan
from vungcao.registry.services.questionnaire.changes import HEAD_NOT_IN_FILE

pytestmark = pytest.mark.django_db
FIXTURES = (ba_che_review, ba_che_villages, cycle_2025, questionnaire_row)

A_NUMBER, B_NUMBER, C_NUMBER = "022080001234", "022084005678", "022010009999"
LATRINE_DEPRIVED = "The household is deprived in hygienic latrine"


def member_columns(row: dict[str, str], schooling: str = "", work: str = "") -> dict[str, str]:
    return {**row, "schooling": schooling, "health_insurance": "có", "disability": "không", "work": work}


@pytest.fixture
def stored_file(questionnaire_row: QuestionnaireRow) -> list[dict[str, str]]:
    """H1: head A (with an identity number) and his wife B; H2: one member."""
    return [
        member_columns(
            questionnaire_row("H1", "Hoàng Văn A", identity_number=A_NUMBER), "primary", "own_farm"
        ),
        member_columns(questionnaire_row("H1", "Lý Thị B", relation="vợ/chồng", birth_year="1984")),
        member_columns(questionnaire_row("H2", "Đặng Văn C", village="06970-002", identity_number=C_NUMBER)),
    ]


@pytest.fixture
def registered(commune_officer, ba_che_review, stored_file) -> list[dict[str, str]]:
    preview_and_apply("questionnaire", csv_text(stored_file), user=commune_officer)
    return stored_file


def members_of(code: str) -> list[tuple[str, str, datetime.date | None]]:
    return sorted(
        Member.objects.filter(household__code=code).values_list("full_name", "schooling", "left_on"),
        key=lambda member: member[0],
    )


def changed_file(stored: list[dict[str, str]], questionnaire_row: QuestionnaireRow) -> list[dict[str, str]]:
    """H1: income and the latrine answer changed, A's schooling changed, B left out, child D added; H2 as
    stored; H3 new."""
    head = {**stored[0], "schooling": "lower_secondary", "income_per_capita_month": "900000"}
    head["deprived__latrine"] = "có"
    child = member_columns(
        {
            **questionnaire_row("H1", "Hoàng Văn D", relation="con", birth_year="2010"),
            "income_per_capita_month": "900000",
        }
    )
    child["deprived__latrine"] = "có"
    newcomer = member_columns(questionnaire_row("H3", "Nguyễn Thị E", identity_number=B_NUMBER))
    return [head, child, stored[2], newcomer]


def described(batch: ImportBatch, user, show: str = "all") -> list[ChangeShown]:
    with translation.override("en"):
        return import_batch_changes(batch=ImportBatch.objects.get(pk=batch.pk), user=user, show=show)


def test_the_preview_lists_every_change_by_household_and_member_and_writes_nothing(
    commune_officer, registered, questionnaire_row
) -> None:
    before = list(Member.objects.order_by("pk").values_list("pk", "full_name", "schooling", "left_on"))
    assessments_before = list(Assessment.objects.values_list("pk", "income_per_capita_month", "updated_at"))
    with translation.override("en"):
        batch = preview(
            "questionnaire", csv_text(changed_file(registered, questionnaire_row)), user=commune_officer
        )

    assert (batch.status, batch.created_count, batch.updated_count, batch.unchanged_count) == (
        "ready",
        1,
        1,
        1,
    )
    assert (batch.missing_count, batch.missing_must_go) == (1, False)
    assert batch.change_counts == {
        "households_added": 1,
        "members_in_added": 1,
        "households_changed": 1,
        "households_missing": 1,
        "heads_missing": 0,
        "members_added": 1,
        "members_changed": 1,
        "members_missing": 1,
    }
    changed, new = described(batch, commune_officer)
    assert changed == ChangeShown(
        code="H1",
        row=2,
        kind="changed",
        missing=1,
        fields=[
            FieldShown("income per person per month (VND)", "1,200,000", "900,000"),
            FieldShown(LATRINE_DEPRIVED, "no", "yes"),
        ],
        members=[
            MemberShown(
                "changed", "Hoàng Văn A", "1980", [FieldShown("schooling", "Primary", "Lower secondary")]
            ),
            MemberShown(
                "added",
                "Hoàng Văn D",
                "2010",
                [
                    FieldShown("sex", "—", "Male"),
                    FieldShown("ethnic group", "—", "Dao"),
                    FieldShown("relation to the head", "—", "Child"),
                    FieldShown("health insurance", "—", "yes"),
                ],
            ),
            MemberShown("missing", "Lý Thị B", "1984", [FieldShown("relation to the head", "Spouse", "—")]),
        ],
        more_members=0,
    )
    assert (new.code, new.kind, new.row) == ("H3", "added", 5)
    assert [member.name for member in new.members] == ["Nguyễn Thị E"]
    # The commune officer may see identity numbers whole.
    assert FieldShown("identity number", "—", B_NUMBER) in new.members[0].fields
    assert [change.code for change in described(batch, commune_officer, "missing")] == ["H1"]
    assert [change.code for change in described(batch, commune_officer, "added")] == ["H3"]
    # Nothing was written.
    assert (
        list(Member.objects.order_by("pk").values_list("pk", "full_name", "schooling", "left_on")) == before
    )
    assert (
        list(Assessment.objects.values_list("pk", "income_per_capita_month", "updated_at"))
        == assessments_before
    )
    assert not Household.objects.filter(code="H3").exists()


def test_a_plans_entries_are_put_in_words_as_its_batchs(
    commune_officer, province_officer, registered, questionnaire_row
) -> None:
    """Given a file's plan and its previewed batch, then the plan's change entries, shown on another page
    (``changes_shown``), read as the batch's do, for every kind and reader."""
    rows = changed_file(registered, questionnaire_row)
    batch = preview("questionnaire", csv_text(rows), user=commune_officer)
    plan = questionnaire_plan(user=commune_officer, rows=rows)
    for user in (commune_officer, province_officer):
        for show in SHOWN_KINDS:
            with translation.override("en"):
                shown = changes_shown(plan.changes, user=user, show=show)
            assert shown == described(batch, user, show), (user, show)


def test_members_missing_from_the_file_are_kept_unless_the_official_chooses(
    commune_officer, registered, questionnaire_row
) -> None:
    content = csv_text(changed_file(registered, questionnaire_row))
    batch = preview_and_apply("questionnaire", content, user=commune_officer)

    assert batch.remove_missing is False
    # A was updated in place (the same member), D added, B kept.
    assert members_of("H1") == [
        ("Hoàng Văn A", "lower_secondary", None),
        ("Hoàng Văn D", "", None),
        ("Lý Thị B", "", None),
    ]
    assert Assessment.objects.get(household__code="H1").income_per_capita_month == 900_000

    again = preview("questionnaire", content, user=commune_officer)
    assert (again.created_count, again.updated_count, again.unchanged_count, again.missing_count) == (
        0,
        0,
        3,
        1,
    )
    services.import_apply(user=commune_officer, batch=again, remove_missing=True)
    assert members_of("H1") == [
        ("Hoàng Văn A", "lower_secondary", None),
        ("Hoàng Văn D", "", None),
        ("Lý Thị B", "", datetime.date.today()),
    ]
    again.refresh_from_db()
    assert (again.status, again.remove_missing, bytes(again.changes)) == (
        ImportBatch.Status.APPLIED,
        True,
        b"",
    )
    assert preview("questionnaire", content, user=commune_officer).unchanged_count == 3


def test_a_member_is_matched_by_identity_number_before_name(commune_officer, registered) -> None:
    """Given A registered with his identity number, when the file spells his name differently with the same
    number and has a namesake of B with another number, then A is changed (not replaced) and B's namesake
    is a new member, B missing."""
    renamed = {**registered[0], "member_name": "Hoàng Văn An"}
    namesake = {**registered[1], "identity_number": B_NUMBER}
    stored_b = Member.objects.get(full_name="Lý Thị B")
    stored_b.identity_digest, stored_b.identity_last_digits = (
        identity.identity_digest(C_NUMBER[:-1] + "0"),
        "990",
    )
    stored_b.save()
    batch = preview("questionnaire", csv_text([renamed, namesake, registered[2]]), user=commune_officer)

    (change,) = described(batch, commune_officer)
    assert [(member.kind, member.name) for member in change.members] == [
        ("changed", "Hoàng Văn An"),
        ("added", "Lý Thị B"),
        ("missing", "Lý Thị B"),
    ]
    assert change.members[0].fields == [FieldShown("full name", "Hoàng Văn A", "Hoàng Văn An")]


def test_identity_numbers_are_masked_for_a_role_that_may_not_see_them(
    commune_officer, province_officer, administrator, registered
) -> None:
    """Given B registered without an identity number, when a province officer previews a file giving her
    one, then the officer (who may not see numbers whole) sees it masked, on the page too; an administrator
    sees it whole."""
    numbered = {**registered[1], "identity_number": B_NUMBER}
    batch = preview(
        "questionnaire", csv_text([registered[0], numbered, registered[2]]), user=province_officer
    )

    def shown(user) -> list[MemberShown]:
        (change,) = described(batch, user)
        return change.members

    assert shown(province_officer) == [
        MemberShown("changed", "Lý Thị B", "1984", [FieldShown("identity number", "—", "•••••••••678")])
    ]
    assert shown(administrator)[0].fields == [FieldShown("identity number", "—", B_NUMBER)]
    page = client_for(province_officer).get(f"/imports/{batch.pk}/").content.decode()
    assert "•••••••••678" in page
    assert B_NUMBER not in page


def test_a_replaced_head_cannot_be_kept(commune_officer, registered, questionnaire_row) -> None:
    """Given H1 headed by A, when the file names B as head and leaves A out, then the preview offers only
    recording A as having left; keeping him is refused and writes nothing."""
    wife_as_head = {**registered[1], "relation_to_head": "chủ hộ"}
    client = english(client_for(commune_officer))
    batch = uploaded(client, "questionnaire", csv_text([wife_as_head, registered[2]]))
    assert (batch.missing_count, batch.missing_must_go) == (1, True)
    page = client.get(f"/imports/{batch.pk}/").content.decode()
    assert 'id="apply-remove"' in page
    assert 'value="keep"' not in page

    with pytest.raises(ApplicationError) as refused:
        background.import_apply_queue(user=commune_officer, batch=batch, remove_missing=False)
    assert refused.value.message == str(services.MISSING_MUST_GO)
    with pytest.raises(ApplicationError):
        services.import_apply(user=commune_officer, batch=batch, remove_missing=False)
    batch.refresh_from_db()
    assert (batch.status, batch.error) == (ImportBatch.Status.READY, str(services.MISSING_MUST_GO))
    assert members_of("H1") == [("Hoàng Văn A", "primary", None), ("Lý Thị B", "", None)]

    # The writing itself refuses to keep a replaced head, whoever calls it.
    plan = questionnaire_plan(user=commune_officer, rows=[wife_as_head, registered[2]])
    with pytest.raises(ApplicationError) as kept_head:
        plan.write()
    assert kept_head.value.message == str(HEAD_NOT_IN_FILE).format(code="H1")
    assert members_of("H1") == [("Hoàng Văn A", "primary", None), ("Lý Thị B", "", None)]

    services.import_apply(user=commune_officer, batch=batch, remove_missing=True)
    assert members_of("H1") == [("Hoàng Văn A", "primary", datetime.date.today()), ("Lý Thị B", "", None)]
    assert Member.objects.get(full_name="Lý Thị B").relation_to_head == Member.Relation.HEAD


def test_the_page_lists_the_changes_and_the_button_names_the_choice(
    commune_officer, registered, questionnaire_row
) -> None:
    client = english(client_for(commune_officer))
    with translation.override("en"):
        batch = uploaded(client, "questionnaire", csv_text(changed_file(registered, questionnaire_row)))
        page = client.get(f"/imports/{batch.pk}/").content.decode()
        missing_only = client.get(f"/imports/{batch.pk}/?show=missing").content.decode()
        odd = client.get(f"/imports/{batch.pk}/?show=<script>").status_code
    assert "Members in the registry who are not in the file: 1 (in 1 households)" in page
    assert "Household H1" in page
    assert "Household H3" in page
    assert "1,200,000" in page
    assert "Apply the file, keeping the 1 member not in the file" in page
    assert "Apply the file, recording the 1 member not in the file as having left" in page
    assert "Household H1" in missing_only
    assert "Household H3" not in missing_only
    assert odd == 200
    assert Member.objects.filter(left_on__isnull=False).count() == 0

    # The choice travels with the button pressed.
    committed_post(client, f"/imports/{batch.pk}/apply/", {"missing": "remove"})
    run_tasks()
    batch.refresh_from_db()
    assert (batch.status, batch.remove_missing) == (ImportBatch.Status.APPLIED, True)
    with translation.override("en"):
        page = client.get(f"/imports/{batch.pk}/").content.decode()
    assert "The 1 member not in the file was recorded as having left." in page
    assert members_of("H1")[2] == ("Lý Thị B", "", datetime.date.today())


def test_an_apply_after_the_registry_changed_is_refused_and_shows_the_new_preview(
    commune_officer, registered, questionnaire_row
) -> None:
    """Given a preview of a changed H1, when another file changes H1 before it is applied, then the apply
    writes nothing, says why, and the page shows what the file would now do, ready to confirm again."""
    content = csv_text(changed_file(registered, questionnaire_row))
    client = english(client_for(commune_officer))
    batch = uploaded(client, "questionnaire", content)
    other = {**registered[0], "income_per_capita_month": "700000"}
    wife = {**registered[1], "income_per_capita_month": "700000"}
    preview_and_apply("questionnaire", csv_text([other, wife]), user=commune_officer)
    members_before = members_of("H1")

    batch = applied(client, batch)
    with translation.override("en"):  # the official reads English: the refusal is stored in it
        refusal = str(services.CHANGED_SINCE_PREVIEW)
    assert (batch.status, batch.error) == (ImportBatch.Status.READY, refusal)
    assert members_of("H1") == members_before
    assert Assessment.objects.get(household__code="H1").income_per_capita_month == 700_000
    (change, _new) = described(batch, commune_officer)
    assert change.fields[0] == FieldShown("income per person per month (VND)", "700,000", "900,000")

    batch = applied(client, batch)
    assert batch.status == ImportBatch.Status.APPLIED
    assert Assessment.objects.get(household__code="H1").income_per_capita_month == 900_000


def test_a_large_files_preview_stays_small(commune_officer, ba_che_review, questionnaire_row) -> None:
    """Given a file of 20,000 new households, then every one is counted but only the first hundred are
    described: the stored preview stays a few kilobytes and the page a few hundred."""
    rows = [questionnaire_row(f"H{number:05}", f"Người {number}") for number in range(20_000)]
    batch = preview("questionnaire", csv_text(rows), user=commune_officer)

    assert (batch.created_count, batch.change_counts["households_added"]) == (20_000, 20_000)
    assert len(described(batch, commune_officer)) == 100
    assert len(bytes(batch.changes)) < 20_000
    page = client_for(commune_officer).get(f"/imports/{batch.pk}/").content.decode()
    assert len(page.encode()) < 400_000
    assert 'id="changes-capped"' in page


def test_members_in_another_order_change_nothing(commune_officer, registered) -> None:
    pks = list(Member.objects.order_by("pk").values_list("pk", "updated_at"))
    batch = preview_and_apply(
        "questionnaire", csv_text([registered[1], registered[0], registered[2]]), user=commune_officer
    )
    assert (batch.created_count, batch.updated_count, batch.unchanged_count, batch.missing_count) == (
        0,
        0,
        2,
        0,
    )
    assert batch.change_counts == {}
    assert list(Member.objects.order_by("pk").values_list("pk", "updated_at")) == pks
