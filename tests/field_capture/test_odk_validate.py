"""ODK Validate, bundled in pyxform, can check a form on this machine (it needs Java: `.ci/run` installs it)."""

from pyxform.validators import odk_validate


def test_odk_validate_is_bundled_and_runs_on_this_machine() -> None:
    # Given pyxform's bundled ODK Validate
    # When it checks pyxform's own sample XForm with the machine's Java
    # Then the jar is there and the check answers without failing
    assert odk_validate.install_exists()
    assert odk_validate.install_ok()
