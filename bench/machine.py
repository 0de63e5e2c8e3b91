"""The machine a report was measured on."""

import os
import platform
import subprocess
import sys
from datetime import UTC, datetime

import psutil

from .environment import DATABASE_URL, REDIS_URL, ROOT


def _first_line(command: list[str]) -> str:
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    text = (out.stdout or out.stderr).strip()
    return text.splitlines()[0] if text else ""


def _cpu_model() -> str:
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _os_name() -> str:
    try:
        for line in open("/etc/os-release", encoding="utf-8"):
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return platform.system()


def _postgres_version() -> str:
    import psycopg

    with psycopg.connect(DATABASE_URL, connect_timeout=5) as connection:
        version = connection.execute("show server_version").fetchone()[0]
    return f"PostgreSQL {version}"


def _redis_version() -> str:
    import redis

    return f"Redis {redis.Redis.from_url(REDIS_URL).info('server')['redis_version']}"


def _git() -> dict:
    commit = _first_line(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
    # The report a previous run wrote is no change to what is measured.
    dirty = subprocess.run(
        [
            "git",
            "-C",
            str(ROOT),
            "status",
            "--porcelain",
            "--untracked-files=no",
            "--",
            ".",
            ":!docs/benchmarks.md",
        ],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {"commit": commit, "dirty": bool(dirty)}


def _version(module: str) -> str:
    from importlib.metadata import version

    return version(module)


def machine_facts() -> dict:
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "ram_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "os": f"{_os_name()} (Linux {platform.release()})",
        "python": sys.version.split()[0],
        "postgres": _postgres_version(),
        "redis": _redis_version(),
        "django": _version("django"),
        "wagtail": _version("wagtail"),
        "oscar": _version("django-oscar"),
        "gunicorn": _version("gunicorn"),
        "wrk": _first_line(["wrk", "--version"]).split(" [")[0],
        "chromium": _first_line(["chromium", "--version"]),
        "git": _git(),
    }
