"""Runs the front end's unit tests (``tests/unit/js/*.test.mjs``) with node's built-in runner.

The pure ES modules in ``static/js`` (offsets, boundaries, segments, render, outbox) need no
browser; node runs their tests in well under a second. Skipped only when node is not installed.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[2]


def test_js_unit_tests_pass():
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed; the JavaScript unit tests need it")
    test_files = sorted(str(path.relative_to(REPO_ROOT)) for path in HERE.glob("*.test.mjs"))
    assert test_files, "no JavaScript test files found"
    result = subprocess.run(
        [node, "--test", *test_files],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    summary = "\n".join(line for line in result.stdout.splitlines() if line.startswith("# "))
    assert result.returncode == 0, (
        f"node --test failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}"
    )
    assert "# fail 0" in summary, summary
