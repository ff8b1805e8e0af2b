"""Every dafu command shown in README.md runs on samples/ and exits 0 (the docs cannot drift)."""
from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text("utf-8")
BLOCKS = re.findall(r"```sh\n(.*?)```", README, re.S)
COMMANDS = [line.removeprefix("$ ").strip() for block in BLOCKS for line in block.splitlines()
            if re.match(r"(\$ )?(dafu|cat \S+ \| dafu) ", line)]


def test_readme_shows_commands():
    assert len(COMMANDS) >= 6


@pytest.mark.parametrize("line", COMMANDS)
def test_readme_command_runs(line, tmp_path):
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    stdin = None
    if line.startswith("cat "):
        source, line = line.split(" | ", 1)
        stdin = (tmp_path / source.split()[1]).read_bytes()
    command = line.split(" | ")[0].split(" > ")[0]  # the dafu part of a pipeline
    argv = shlex.split(command)
    env = {**os.environ, "NO_COLOR": "1", "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]}
    done = subprocess.run([sys.executable, "-m", "dafu", *argv[1:]], cwd=tmp_path, input=stdin,
                          capture_output=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout or "-o" in argv or "--report" in argv
