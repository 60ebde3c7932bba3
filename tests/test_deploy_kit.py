"""The deploy kit: a clean install without dev tools runs, make rebuilds a stale .venv, and the
service files agree with the exit codes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from bot.ops.startup import ExitCode

ROOT = Path(__file__).resolve().parents[1]
# What a clean install needs, the same list the Dockerfile copies.
PACKAGE_FILES = ("pyproject.toml", "README.md", "LICENSE", "bot", "commands", "storage", "filters")


@pytest.mark.install
def test_a_clean_install_without_dev_extras_runs_the_checklist(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    for name in PACKAGE_FILES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(path, source / name)
    target = tmp_path / "venv"
    venv.create(target, with_pip=True)
    python = target / "bin" / "python"
    # pip's cache is reused, so this costs a copy of the wheels rather than a download.
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(source)],
        check=True,
        timeout=600,
    )
    installed = subprocess.run(
        [python, "-m", "pip", "list", "--format=freeze"], capture_output=True, text=True, check=True
    ).stdout.lower()
    for dev_tool in ("pytest", "ruff", "mypy", "hypothesis"):
        assert f"\n{dev_tool}==" not in f"\n{installed}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "PYTHON"))}
    # Run from an empty folder, so the installed package is imported, not the source tree.
    work = tmp_path / "work"
    work.mkdir()
    help_run = subprocess.run(
        [python, "-m", "bot", "check", "--help"], cwd=work, env=env, capture_output=True, text=True
    )
    assert help_run.returncode == 0 and "usage: python -m bot check" in help_run.stdout
    shutil.copy2(ROOT / "deploy" / "config.example.toml", work / "config.toml")
    check = subprocess.run(
        [python, "-m", "bot", "check"],
        cwd=work,
        env={**env, "BOT_API_URL": "http://127.0.0.1:9/bot", "BOT_TOKEN": "1:abcdefgh"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode == ExitCode.FAILED
    assert "示例占位值" in check.stdout and "连接 Telegram" in check.stdout
    # The migrations and the default lexicon are in the installed package.
    assert "数据库 data/bot.sqlite3：尚未创建" in check.stdout


def _make(folder: Path, *args: str) -> str:
    done = subprocess.run(
        ["make", "-n", f"PYTHON={sys.executable}", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_rebuilds_a_venv_made_by_another_python(tmp_path: Path) -> None:
    shutil.copy2(ROOT / "Makefile", tmp_path / "Makefile")
    shutil.copy2(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    stamps = tmp_path / ".venv"
    stamps.mkdir()
    (stamps / ".installed-python3.10.2-dev").touch()
    assert "venv --clear .venv" in _make(tmp_path, "test")
    version = ".".join(str(part) for part in sys.version_info[:3])
    (stamps / f".installed-python{version}-dev").touch()
    assert "venv --clear" not in _make(tmp_path, "test")
    # The production install has no dev extra and is not editable.
    production = _make(tmp_path, "install")
    assert "pip install --quiet ." in production and "[dev]" not in production


def test_the_units_stop_restarting_exactly_on_the_permanent_exit_codes() -> None:
    unit = (ROOT / "deploy" / "union-bot.service").read_text(encoding="utf-8")
    (line,) = re.findall(r"^RestartPreventExitStatus=(.*)$", unit, flags=re.MULTILINE)
    assert {int(code) for code in line.split()} == {
        ExitCode.CONFIG,
        ExitCode.TOKEN,
        ExitCode.DATABASE,
    }
    assert "UMask=0077" in unit
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    # The volume is made and owned by the image's user before VOLUME, which freezes its content.
    assert dockerfile.index("chown bot:bot /data") < dockerfile.index('VOLUME ["/data"]')
    assert dockerfile.index("USER bot") < dockerfile.index("ENTRYPOINT")
    assert "HEALTHCHECK" in dockerfile and "sqlite3" in dockerfile and "[dev]" not in dockerfile
    copied = " ".join(re.findall(r"^COPY (.*)$", dockerfile, flags=re.MULTILINE)).split()
    assert {"pyproject.toml", "README.md", "bot", "commands", "storage", "filters"} <= set(copied)
