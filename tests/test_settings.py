"""Settings come from the environment; production refuses the demo secret key."""

import os
import subprocess
import sys

CHECK = "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'vungcao.settings'; django.setup()"


def run_settings(**environment: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}
    }
    env.update(environment)
    return subprocess.run([sys.executable, "-c", CHECK], env=env, capture_output=True, text=True, check=False)


def test_debug_off_with_the_demo_secret_key_refuses_to_start() -> None:
    result = run_settings(DEBUG="false")
    assert result.returncode == 1
    assert "DEBUG is off but SECRET_KEY is the demo key" in result.stderr


def test_debug_off_with_a_real_secret_key_starts() -> None:
    result = run_settings(DEBUG="false", SECRET_KEY="x" * 50, DATABASE_URL="sqlite:///:memory:")
    assert (result.returncode, result.stderr) == (0, "")
