"""Processes that serve traffic or run tasks refuse to start on guessed settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(*args, settings=None):
    # A fresh process as an operator would start it: no settings unless given.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    if settings:
        env["DJANGO_SETTINGS_MODULE"] = settings
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "command",
    [
        ["-m", "celery", "-A", "config", "worker", "--pool=solo"],
        ["-m", "celery", "-A", "config", "beat"],
        ["-c", "import config.wsgi"],
        ["-c", "import config.asgi"],
    ],
    ids=["celery worker", "celery beat", "wsgi", "asgi"],
)
def test_an_entry_point_without_settings_stops_with_a_clear_error(command):
    result = _run(*command)

    assert result.returncode != 0
    assert "DJANGO_SETTINGS_MODULE is not set" in result.stderr
    assert "config.settings.production" in result.stderr  # says what to set


def test_the_web_entry_points_load_with_settings_named():
    result = _run(
        "-c", "import config.wsgi, config.asgi", settings="config.settings.test"
    )

    assert result.returncode == 0, result.stderr


def test_manage_py_keeps_the_dev_settings_for_the_demo():
    result = _run("manage.py", "diffsettings", "--output=unified")

    assert result.returncode == 0, result.stderr
    assert "+ DEBUG = True" in result.stdout
