"""The project's own health checks: migrations and the production deploy check."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args, env_extra=None):
    # A fresh process, as an operator would run it: none of this session's overrides.
    unset = ("SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    call_command("makemigrations", check=True, dry_run=True, verbosity=0)


def test_production_settings_pass_the_deploy_check_with_no_warnings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        "--settings=config.settings.production",
        env_extra={
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "shop.example.com",
        },
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_fail_closed_without_a_secret_key():
    result = _manage(
        "check",
        "--settings=config.settings.production",
        env_extra={"ALLOWED_HOSTS": "shop.example.com"},
    )

    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr
