"""The benchmark's markdown report: targets next to measurements, plus the machine."""

from __future__ import annotations

import os
import platform
import sqlite3
import sys
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

README_START = "<!-- workspace-results:start -->"
README_END = "<!-- workspace-results:end -->"


@dataclass(frozen=True)
class Row:
    measure: str
    target: str
    measured: str
    ok: bool | None  # None: informational, no target

    @property
    def verdict(self) -> str:
        return {True: "yes", False: "**no**", None: ""}[self.ok]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_lines(server: str) -> list[str]:
    return [
        f"- CPU: {os.cpu_count()} × {cpu_model()}",
        f"- Python {platform.python_version()} ({sys.implementation.name}), "
        f"SQLite {sqlite3.sqlite_version}, SQLAlchemy {version('sqlalchemy')}, "
        f"Flask {version('flask')}, gunicorn {version('gunicorn')}, "
        f"Chromium via Playwright {version('playwright')}",
        f"- Server: {server}",
        f"- OS: {platform.system()} {platform.release()}",
    ]


def markdown(rows: list[Row], machine: list[str], notes: list[str], when: str) -> str:
    lines = [
        f"Workspace benchmark, {when}",
        "",
        "| measure | target | measured | met |",
        "|---|---|---|---|",
    ]
    lines += [f"| {r.measure} | {r.target} | {r.measured} | {r.verdict} |" for r in rows]
    lines += ["", *machine]
    if notes:
        lines += ["", *(f"- {note}" for note in notes)]
    return "\n".join(lines) + "\n"


def update_readme(readme: Path, report: str) -> None:
    """Replace the text between the result markers of the committed README."""
    text = readme.read_text(encoding="utf-8")
    head, start, rest = text.partition(README_START)
    _, end, tail = rest.partition(README_END)
    if not start or not end:
        raise RuntimeError(f"{readme} has no {README_START} ... {README_END} section")
    readme.write_text(f"{head}{start}\n{report}{end}{tail}", encoding="utf-8")
