"""Figures kept by a process, on PostgreSQL, read by requests in threads of their own (each with its own
connection, as a worker's requests are) while another writes: a reader never takes what a write not yet
committed made, and reads the write once it is committed; two writes of one indicator's values commit one
after the other, and the figures read after both hold both."""

import threading
from collections.abc import Callable

import pytest
from django.db import transaction

from tests.conftest import BA_CHE, ROW_LOCK_TESTS, TIEN_YEN, current_unit
from tests.indicators.helpers import entered
from tests.indicators.test_kept_figures import GRID, POWER, pivot, shown
from tests.registry.test_concurrency import started, still_waiting
from vungcao.accounts.models import Role, User
from vungcao.geo.services.revision import unit_tree_changed
from vungcao.indicators.models import IndicatorValueChange, IndicatorValueRevision

pytestmark = ROW_LOCK_TESTS

WAIT = 10  # seconds, at most, for a thread to reach its point


def read(user: User, code: str) -> object:
    """Quảng Ninh's commune ``code``'s households on the grid, read in a thread of its own."""
    thread, outcome = started(lambda: shown(pivot(user))[code])
    thread.join()
    assert outcome.error is None, outcome.error
    return outcome.value


@pytest.fixture
def analyst_reading(units_loaded: None) -> User:
    """An analyst who has read Ba Chẽ's 1,800 households on the grid, kept (the units revisioned)."""
    unit_tree_changed()
    analyst = User.objects.create(username="analyst", role=Role.MINISTRY_ANALYST)
    entered(GRID, "current", BA_CHE, 2025, 1800)
    assert pivot(analyst).rows[0] is pivot(analyst).rows[0]
    return analyst


def test_a_reader_takes_a_written_value_once_it_is_committed(analyst_reading: User) -> None:
    """Given the kept figures, when a write of 1,900 reads its own figures before it commits, then a reader
    meanwhile reads 1,800, and 1,900 once the write commits."""
    written, release = threading.Event(), threading.Event()

    def write() -> object:
        with transaction.atomic():
            entered(GRID, "current", BA_CHE, 2025, 1900)
            inside = shown(pivot(analyst_reading))[BA_CHE]  # kept under the write's revision
            written.set()
            release.wait(WAIT)
        return inside

    writer, wrote = started(write)
    assert written.wait(WAIT)
    while_open = read(analyst_reading, BA_CHE)
    release.set()
    writer.join()

    assert (wrote.error, wrote.value) == (None, 1900)
    assert while_open == 1800
    assert read(analyst_reading, BA_CHE) == 1900


def second_waits_for_first(first: Callable[[], object], second: Callable[[], object]) -> None:
    """``first`` written in a transaction held open while ``second`` is written in another thread: the
    second waits until the first commits; neither fails."""
    holding, release = threading.Event(), threading.Event()

    def held_open() -> None:
        with transaction.atomic():
            first()
            holding.set()
            release.wait(WAIT)

    holder, held = started(held_open)
    assert holding.wait(WAIT)
    waiting, wrote = started(second)
    assert still_waiting(wrote)
    release.set()
    holder.join()
    waiting.join()
    assert (held.error, wrote.error) == (None, None)


def test_two_writes_of_one_indicator_are_both_read(analyst_reading: User) -> None:
    """Given a write of Ba Chẽ's value holding its indicator's revision, when Tiên Yên's is written, then
    it waits for the first to commit, and the figures read after both hold both."""
    second_waits_for_first(
        lambda: entered(GRID, "current", BA_CHE, 2025, 1900),
        lambda: entered(GRID, "current", TIEN_YEN, 2025, 2500),
    )

    assert (read(analyst_reading, BA_CHE), read(analyst_reading, TIEN_YEN)) == (1900, 2500)


def test_the_first_writes_of_an_indicator_at_once_are_numbered_one_after_the_other(
    analyst_reading: User,
) -> None:
    """Given a first write of households with electricity holding its new revision, when another first
    write of it comes, then it waits, and the two are the writes numbered 1 and 2, each in the log."""
    second_waits_for_first(
        lambda: entered(POWER, "current", BA_CHE, 2025, 1700),
        lambda: entered(POWER, "current", TIEN_YEN, 2025, 2400),
    )

    assert IndicatorValueRevision.objects.get(indicator=POWER).number == 2
    logged = IndicatorValueChange.objects.filter(indicator=POWER).order_by("number")
    ba_che, tien_yen = current_unit(BA_CHE).pk, current_unit(TIEN_YEN).pk
    assert list(logged.values_list("number", "unit_id")) == [(1, ba_che), (2, tien_yen)]
