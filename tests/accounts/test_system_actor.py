"""The system's own work (commands an operator runs, the demo) acts as one named actor, checked like
everyone and recorded under its name; nobody can log in as it."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from tests.conftest import BA_CHE, PASSWORD, current_unit
from vungcao.accounts.models import Role, User
from vungcao.accounts.services import SYSTEM_USERNAME, system_actor
from vungcao.imports.models import ImportBatch

pytestmark = pytest.mark.django_db


def test_the_system_actor_is_one_national_administrator_nobody_can_log_in_as() -> None:
    actor = system_actor()
    assert system_actor().pk == actor.pk
    assert User.objects.filter(username=SYSTEM_USERNAME).count() == 1
    assert (actor.role, actor.scope, actor.is_active, actor.has_usable_password()) == (
        Role.ADMINISTRATOR,
        None,
        False,
        False,
    )
    for password in (PASSWORD, ""):
        response = Client().post("/accounts/login/", {"username": SYSTEM_USERNAME, "password": password})
        assert response.status_code == 200  # the form again, not a redirect into the application
        assert "_auth_user_id" not in response.client.session


def test_a_file_imported_from_the_command_line_is_recorded_as_the_system_actors(tmp_path: Path) -> None:
    source = tmp_path / "villages.csv"
    source.write_text(f"commune_code,name,type\n{BA_CHE},Thôn Làng Cổng,thôn\n", encoding="utf-8")

    call_command("import_file", "villages", str(source), stdout=io.StringIO())

    batch = ImportBatch.objects.get()
    assert (batch.user, batch.status) == (system_actor(), ImportBatch.Status.APPLIED)
    assert list(current_unit(BA_CHE).children.values_list("name", flat=True)) == ["Thôn Làng Cổng"]
