"""``vungcao database_check``: what an operator runs after restoring a backup."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from pytest_django.fixtures import Settings

from tests.conftest import BA_CHE, current_unit
from vungcao.accounts.models import User
from vungcao.common import database
from vungcao.geo.models import AdministrativeUnit, Era
from vungcao.geo.services import villages
from vungcao.registry import identity
from vungcao.registry.models import Household, Member

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(administrator: User) -> Household:
    village = villages.village_create(user=administrator, commune=current_unit(BA_CHE), name="Thôn Một")
    household = Household.objects.create(code="H1", village=village, area="rural", head_ethnic_group="09")
    for number, name in (("022080001234", "Hoàng Văn A"), ("022080005678", "Lý Thị B")):
        protected = identity.protect(number)
        Member.objects.create(
            household=household,
            full_name=name,
            sex="male",
            birth_year=1980,
            ethnic_group="09",
            relation_to_head="head",
            identity_digest=protected.digest,
            identity_encrypted=protected.encrypted,
            identity_last_digits=protected.last_digits,
        )
    return household


def check(*arguments: str) -> tuple[str, CommandError | None]:
    output = io.StringIO()
    try:
        call_command("database_check", *arguments, stdout=output)
    except CommandError as error:
        return output.getvalue(), error
    return output.getvalue(), None


def test_a_complete_database_passes_and_its_manifest_matches(household, tmp_path: Path) -> None:
    manifest = tmp_path / "before.json"
    output, error = check("--write-manifest", str(manifest))
    assert error is None
    assert output.splitlines()[-1] == "the database is complete"
    tables = json.loads(manifest.read_text())["tables"]
    assert (tables["registry_household"], tables["registry_member"]) == (1, 2)
    assert "django_session" not in tables
    output, error = check("--manifest", str(manifest))
    assert (output.splitlines(), error) == (["the database is complete"], None)


def test_rows_missing_after_a_restore_are_listed_with_exit_status_1(household, tmp_path: Path) -> None:
    manifest = tmp_path / "before.json"
    check("--write-manifest", str(manifest))
    Member.objects.filter(full_name="Lý Thị B").delete()

    output, error = check("--manifest", str(manifest))

    assert output.splitlines() == ["problem: table registry_member: 1 rows, the manifest says 2"]
    assert error is not None
    assert error.returncode == 1


def test_identity_numbers_sealed_with_another_key_are_found(household, settings: Settings) -> None:
    settings.IDENTITY_NUMBER_KEY = "a-key-that-is-not-the-one-of-the-backup"

    output, error = check()

    assert output.splitlines() == [
        "problem: registry: 2 of 2 sampled identity numbers cannot be read with IDENTITY_NUMBER_KEY or do not "
        "match their digest: is this the key the backup was made with?"
    ]
    assert error is not None


def test_missing_official_units_are_named() -> None:
    AdministrativeUnit.objects.filter(era=Era.CURRENT, code=BA_CHE).delete()

    output, error = check()

    assert output.splitlines() == [
        f"problem: geo: 1 official units of the era current are missing ({BA_CHE}): run vungcao load_units"
    ]
    assert error is not None


def test_a_manifest_that_is_not_one_is_refused(tmp_path: Path) -> None:
    manifest = tmp_path / "other.json"
    manifest.write_text("[1, 2]")
    with pytest.raises(CommandError, match="is not a manifest of this command"):
        call_command("database_check", "--manifest", str(manifest), stdout=io.StringIO())


def test_every_migration_is_applied_on_the_test_database() -> None:
    assert database.unapplied_migrations() == []
