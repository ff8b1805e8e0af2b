"""Shared fixtures: the CLI in-process (CliRunner), the CLI as a real process, folders of letters."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
LETTERS = ROOT / "tests" / "letters"


def _imported_from_checkout() -> str | None:
    """Return why the imported dafu is not this checkout's core/ and cli/, or None when it is."""
    import dafu
    import dafu.cli

    for module, folder in ((dafu, ROOT / "core"), (dafu.cli, ROOT / "cli")):
        where = Path(module.__file__).resolve().parent
        if where != folder:
            return f"{module.__name__} is imported from {where}, not from {folder}"
    return None


# The property tests draw the same examples on every run, so CI is green or red for the code, not for the draw;
# HYPOTHESIS_PROFILE=explore draws new ones (run it by hand after changing a stage, and keep what it finds as a case).
settings.register_profile("ci", derandomize=True)
settings.register_profile("explore", derandomize=False, max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_configure(config) -> None:
    """Stop the run before any test when the tests would exercise an installed copy instead of this tree."""
    problem = _imported_from_checkout()
    if problem:
        raise pytest.UsageError(
            f"{problem}: the tests would test another copy. Install this checkout in editable mode: "
            "pip install -e '.[test]' (see README.md)")


@pytest.fixture
def cli(monkeypatch):
    """Return `invoke(*args, input=None)`: run dafu in-process with NO_COLOR=1; stdout and stderr apart."""
    from typer.testing import CliRunner

    from dafu.cli import app

    monkeypatch.setenv("NO_COLOR", "1")
    runner = CliRunner()

    def invoke(*args: str, input: bytes | str | None = None):
        return runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)

    return invoke


def dafu_command(*args: str) -> list[str]:
    """Return the argv that runs dafu as a separate process (`python -m dafu`)."""
    return [sys.executable, "-m", "dafu", *map(str, args)]


def dafu_env() -> dict[str, str]:
    """Return the environment for a dafu subprocess: no colour, no terminal."""
    return {**os.environ, "NO_COLOR": "1", "PYTHONUNBUFFERED": "1"}


def run_dafu(*args: str, input: bytes | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run dafu as a real process and return the completed process (bytes out and err)."""
    return subprocess.run(dafu_command(*args), input=input, capture_output=True, env=dafu_env(), timeout=timeout)


@pytest.fixture
def samples(tmp_path) -> Path:
    """Return a folder holding a copy of the five sample letters."""
    folder = tmp_path / "samples"
    shutil.copytree(SAMPLES, folder)
    return folder


@pytest.fixture
def corpus(tmp_path) -> Path:
    """Return a folder with the samples and the invented letters, some in nested folders."""
    folder = tmp_path / "corpus"
    shutil.copytree(SAMPLES, folder / "samples")
    if LETTERS.is_dir():
        shutil.copytree(LETTERS, folder / "invented" / "letters")
    return folder


def make_corpus(folder: Path, count: int) -> Path:
    """Write `count` letters (samples and invented letters, each varied) into nested folders."""
    sources = sorted(SAMPLES.glob("*.txt")) + sorted(LETTERS.glob("*.txt"))
    for i in range(count):
        base = sources[i % len(sources)].read_text("utf-8")
        text = base.replace("2018", str(2000 + i % 25), 1) + f"\n附件{i}：培训{i + 10}人次。\n"
        path = folder / f"d{i % 7}" / f"letter_{i:04d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return folder
