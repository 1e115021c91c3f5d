"""Writing a planned questionnaire file: households, their events, members and assessments at once."""

import datetime
import json
from collections.abc import Mapping, Sequence

from django.db import connection
from django.utils import timezone

from vungcao.common.bulk import batched, insert_rows
from vungcao.common.errors import ApplicationError
from vungcao.geo import tree
from vungcao.registry import classification, identity
from vungcao.registry.models import Assessment, Household, HouseholdEvent, Member
from vungcao.registry.rollups import review_rollups_refresh
from vungcao.registry.services.assessments import assessment_values
from vungcao.registry.services.questionnaire.changes import HEAD_NOT_IN_FILE, HouseholdChange
from vungcao.registry.services.questionnaire.reading import (
    HouseholdRows,
    typed_answers,
)
from vungcao.registry.services.questionnaire.storage import (
    ANALYZE_AFTER,
    MEMBER_KEY_FIELDS,
    StoredAssessment,
)


def _head_group(rows: HouseholdRows) -> str:
    return next(
        member.ethnic_group for member in rows.members if member.relation_to_head == Member.Relation.HEAD
    )


def _update_members(
    changes: Sequence[HouseholdChange], encrypted: Mapping[str, str], now: datetime.datetime
) -> None:
    """The matched members whose values differ, updated in place (the same members, with their history)."""
    values = {old.pk: member for change in changes for member, old in change.changed_members}
    instances: dict[int, Member] = {}
    for batch in batched(list(values)):
        instances.update(Member.objects.in_bulk(batch))
    for pk, member in values.items():
        instance = instances[pk]
        for name in MEMBER_KEY_FIELDS:
            setattr(instance, name, getattr(member, name))
        instance.identity_digest = member.digest()
        instance.identity_encrypted = encrypted.get(member.identity_number, "")
        instance.identity_last_digits = member.identity_number[-3:]
        instance.updated_at = now
    Member.objects.bulk_update(
        list(instances.values()),
        [*MEMBER_KEY_FIELDS, "identity_encrypted", "identity_last_digits", "updated_at"],
        batch_size=2000,
    )


def write_households(
    new_households: Sequence[HouseholdRows],
    changes: Sequence[HouseholdChange],
    results: Mapping[str, classification.Result],
    assessments: Mapping[tuple[int, int], StoredAssessment],
    *,
    remove_missing: bool,
) -> None:
    """Write the new households and the ``changes`` to stored ones. Their members missing from the file
    are recorded as having left today when ``remove_missing``, and kept otherwise (refused when one of them
    is the head the file replaced)."""
    if not remove_missing:
        for change in changes:
            if change.head_missing:
                raise ApplicationError(str(HEAD_NOT_IN_FILE).format(code=change.rows.code))
    today = datetime.date.today()
    now = timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)
    day = connection.ops.adapt_datefield_value(today)
    province_of = tree.province_ids(
        rows.village for rows in (*new_households, *(change.rows for change in changes)) if rows.village
    )
    insert_rows(
        Household,
        (
            "created_at",
            "updated_at",
            "code",
            "village_id",
            "province_id",
            "address",
            "area",
            "head_ethnic_group",
            "is_synthetic",
        ),
        (
            (
                stamp,
                stamp,
                rows.code,
                rows.village.pk,  # type: ignore[union-attr]
                province_of[rows.village.pk],  # type: ignore[union-attr]
                rows.address,
                rows.area,
                _head_group(rows),
                False,
            )
            for rows in new_households
        ),
    )
    ids = {
        code: pk
        for batch in batched([rows.code for rows in new_households])
        for code, pk in Household.objects.filter(code__in=batch).values_list("code", "pk")
    }
    created = [(rows, ids[rows.code]) for rows in new_households]
    insert_rows(
        HouseholdEvent,
        ("created_at", "updated_at", "household", "kind", "happened_on", "to_village", "note"),
        (
            (stamp, stamp, pk, HouseholdEvent.Kind.CREATED.value, day, rows.village.pk, "")  # type: ignore[union-attr]
            for rows, pk in created
        ),
    )
    changed = [change for change in changes if change.writes or (remove_missing and change.missing_members)]
    instances: dict[int, Household] = {}
    for batch in batched([change.stored.pk for change in changed]):
        instances.update(Household.objects.in_bulk(batch))
    # A household whose head's ethnic group changed is counted under the new group in every review; one
    # that moved, in the flows of every review under its new village.
    regrouped: list[int] = []
    moved: list[int] = []
    for change in changed:
        household, rows = instances[change.stored.pk], change.rows
        if household.village_id != rows.village.pk:  # type: ignore[union-attr]
            moved.append(household.pk)
        household.village, household.address, household.area = rows.village, rows.address, rows.area  # type: ignore[assignment]
        household.province_id = province_of[household.village_id]
        household.updated_at = now
        if not rows.members_kept and household.head_ethnic_group != _head_group(rows):
            household.head_ethnic_group = _head_group(rows)
            regrouped.append(household.pk)
    Household.objects.bulk_update(
        list(instances.values()),
        ["village", "province", "address", "area", "head_ethnic_group", "updated_at"],
        batch_size=5000,
    )
    # Leaving first: a number a leaving member held is free for another member of the file.
    if remove_missing:
        leaving = [member.pk for change in changes for member in change.missing_members]
        for batch in batched(leaving):
            Member.objects.filter(pk__in=batch).update(left_on=today, updated_at=now)
    added = [
        *((pk, member) for rows, pk in created for member in rows.members),
        *((change.stored.pk, member) for change in changes for member in change.added_members),
    ]
    # The members' digests were made while planning, to find the numbers already stored.
    encrypted = identity.encrypt_many(
        [
            *(member.identity_number for _pk, member in added if member.identity_number),
            *(m.identity_number for c in changes for m, _old in c.changed_members if m.identity_number),
        ]
    )
    _update_members(changes, encrypted, now)
    insert_rows(
        Member,
        (
            "created_at",
            "updated_at",
            "household",
            "full_name",
            "sex",
            "birth_year",
            "ethnic_group",
            "relation_to_head",
            "identity_digest",
            "identity_encrypted",
            "identity_last_digits",
            "schooling",
            "has_health_insurance",
            "has_disability",
            "work",
        ),
        (
            (
                stamp,
                stamp,
                pk,
                member.full_name,
                member.sex,
                member.birth_year,
                member.ethnic_group,
                member.relation_to_head,
                member.digest(),
                encrypted.get(member.identity_number, ""),
                member.identity_number[-3:],
                member.schooling,
                member.has_health_insurance,
                member.has_disability,
                member.work,
            )
            for pk, member in added
        ),
    )
    assessed = [*created, *((c.rows, c.stored.pk) for c in changes if c.assessment_differs)]
    to_create: list[tuple[object, ...]] = []
    to_update: dict[int, dict[str, object]] = {}
    for rows, pk in assessed:
        review = rows.review
        assert review is not None
        identifier = review.cycle.standard_identifier
        answers = typed_answers(rows)
        result = assessment_values(results[rows.code], identifier)
        existing = assessments.get((review.cycle_id, pk))
        if existing is None:
            to_create.append(
                (
                    stamp,
                    stamp,
                    review.cycle_id,
                    review.cycle.year,
                    pk,
                    review.pk,
                    rows.area,
                    int(rows.income),
                    json.dumps(answers),  # the JSON text the field writes, which both databases take
                    *(result[name] for name in ASSESSMENT_RESULT_FIELDS),
                )
            )
        else:
            to_update[existing[0]] = {
                "commune_review": review,
                "area": rows.area,
                "income_per_capita_month": int(rows.income),
                "answers": answers,
                **result,
                "updated_at": now,
            }
    insert_rows(
        Assessment,
        (
            "created_at",
            "updated_at",
            "cycle",
            "year",
            "household",
            "commune_review",
            "area",
            "income_per_capita_month",
            "answers",
            *ASSESSMENT_RESULT_FIELDS,
        ),
        to_create,
    )
    stale: dict[int, Assessment] = {}
    for batch in batched(list(to_update)):
        stale.update(Assessment.objects.in_bulk(batch))
    recounted = {rows.review.pk for rows, _pk in assessed if rows.review is not None}
    recounted.update(assessment.commune_review_id for assessment in stale.values())
    recounted.update(
        review
        for batch in batched(regrouped)
        for review in Assessment.objects.filter(household__in=batch).values_list("commune_review", flat=True)
    )
    for pk, values in to_update.items():
        for name, value in values.items():
            setattr(stale[pk], name, value)
    Assessment.objects.bulk_update(
        list(stale.values()),
        [
            "commune_review",
            "area",
            "income_per_capita_month",
            "answers",
            *ASSESSMENT_RESULT_FIELDS,
            "updated_at",
        ],
        batch_size=2000,
    )
    # The reviews were locked by the plan (``planning._place``), before the households.
    review_rollups_refresh(recounted, households={*(pk for _rows, pk in assessed), *regrouped, *moved})
    if connection.vendor == "postgresql" and len(new_households) + len(changes) >= ANALYZE_AFTER:
        tables = (Household, HouseholdEvent, Member, Assessment)
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE " + ", ".join(connection.ops.quote_name(model._meta.db_table) for model in tables)
            )


# The fields of ``assessment_values``, in its order.
ASSESSMENT_RESULT_FIELDS = (
    "status",
    "deprivation_count",
    "deprived_mask",
    "income_threshold",
    "standard_identifier",
    "standard_digest",
)
