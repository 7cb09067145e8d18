"""A plain ``pip install .`` must carry the templates, static files, codebooks and migrations."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_wheel_contains_everything_the_app_serves(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(REPO),
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("annotator-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "annotator/templates/base.html",
        "annotator/templates/article.html",
        "annotator/templates/review/compare.html",
        "annotator/static/css/app.css",
        "annotator/static/js/workspace.js",
        "annotator/static/js/review/compare.js",
        "annotator/codebooks/classroom.json",
        "annotator/codebooks/research.json",
        "annotator/samples/rt-de-russland-venezuela-2022.txt",
        "annotator/migrations/env.py",
        "annotator/migrations/script.py.mako",
        "annotator/migrations/versions/0001_initial_schema.py",
    }
    assert expected <= names, sorted(expected - names)
    for folder in ("templates", "static"):
        on_disk = {
            f"annotator/{folder}/{p.relative_to(REPO / folder).as_posix()}"
            for p in (REPO / folder).rglob("*")
            if p.is_file()
        }
        assert on_disk <= names, sorted(on_disk - names)
