"""Two administrators changing one user at once, on PostgreSQL: the second waits for the first and
changes (and records) what the first left, never what both read before."""

import threading

from django.db import connection, transaction

from tests.accounts.conftest import changes_of
from tests.conftest import BA_CHE, PASSWORD, QUANG_NINH, ROW_LOCK_TESTS, TIEN_YEN, current_unit
from vungcao.accounts import services
from vungcao.accounts.models import Role, User

pytestmark = ROW_LOCK_TESTS

# How long a change must stay blocked behind a held lock for the test to call it waiting.
BLOCKED_FOR = 1.0


def in_thread(work: object) -> tuple[threading.Thread, threading.Event, list[BaseException]]:
    done, errors = threading.Event(), []

    def run() -> None:
        try:
            work()  # type: ignore[operator]
        except BaseException as error:
            errors.append(error)
        finally:
            done.set()
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, done, errors


def test_two_administrators_rescoping_one_officer_change_it_one_after_the_other(units_loaded) -> None:
    national = services.user_create(username="root", password=PASSWORD, role=Role.ADMINISTRATOR)
    province = services.user_create(
        username="qn-admin", password=PASSWORD, role=Role.ADMINISTRATOR, scope=current_unit(QUANG_NINH)
    )
    officer = services.user_create(
        username="officer", password=PASSWORD, role=Role.COMMUNE_OFFICER, scope=current_unit(BA_CHE)
    )
    tien_yen, quang_ninh = current_unit(TIEN_YEN), current_unit(QUANG_NINH)

    with transaction.atomic():  # another request holds the officer's row
        list(User.objects.select_for_update().filter(pk=officer.pk))
        first = in_thread(
            lambda: services.user_rescope(
                actor=province, user_id=officer.pk, role=Role.COMMUNE_OFFICER, scope=tien_yen
            )
        )
        second = in_thread(
            lambda: services.user_rescope(
                actor=national, user_id=officer.pk, role=Role.PROVINCE_OFFICER, scope=quang_ninh
            )
        )
        assert not first[1].wait(BLOCKED_FOR)
        assert not second[1].wait(0.1)
    for thread, _done, errors in (first, second):
        thread.join(timeout=30)
        assert errors == []

    scope_changes = [
        (old, new) for action, old, new, _actor in changes_of(officer) if action == "scope_changed"
    ]
    # Each change starts from what the one before left: Ba Chẽ → X, then X → Y.
    assert scope_changes[0][0] == "Xã Ba Chẽ · Tỉnh Quảng Ninh (06970)"
    assert len(scope_changes) == 2
    assert scope_changes[1][0] == scope_changes[0][1]
    officer.refresh_from_db()
    assert officer.scope in (tien_yen, quang_ninh)
    assert scope_changes[1][1].endswith(f"({officer.scope.code})")  # type: ignore[union-attr]
