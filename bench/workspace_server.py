"""Running the app under gunicorn for the benchmark, the way it is deployed.

Worker choice for a small (2-core) machine, measured with this benchmark: four **sync**
workers (``-w 4``, gunicorn's default worker class). Each takes a connection only when it is
free, so concurrent clients spread evenly over the processes. ``gthread`` workers keep
connections alive, which saves a TCP handshake per request, but a worker accepts every
connection it can and keeps it: eight keep-alive clients landed 4-6 on one process (two
threads, one GIL) and 0-1 on others in five of five tries (counted with ``ss``), and a thread
holding SQLite's write lock then waits for the GIL while the other writers sleep in SQLite's
busy handler.
That showed as a p99 of 115-210 ms with 8 writers under ``-w 4 --threads 2`` against
50-85 ms with ``-w 4`` sync; sequential throughput was the same within noise. Four
processes let two cores work in parallel; more add SQLite writers and memory, not speed.
``--threads N`` (N > 1) selects gthread for comparison.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

DEFAULT_WORKERS = 4
DEFAULT_THREADS = 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_command(port: int, workers: int, threads: int) -> list[str]:
    executable = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    command = [executable, "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    if threads > 1:
        command += ["--worker-class", "gthread", "--threads", str(threads)]
    command += ["--keep-alive", "5", "--log-level", "warning", "annotator:create_app()"]
    return command


@dataclass(frozen=True)
class Server:
    base_url: str
    pid: int

    def cpu_seconds(self) -> float | None:
        """CPU time (user + system) used so far by gunicorn's workers; ``None`` off Linux.

        Unlike wall-clock latency this does not grow when other programs share the machine,
        so "server CPU per request" compares runs on a busy machine too.
        """
        tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
        try:
            children = Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split()
            total = 0
            for pid in children:
                # Fields after the command (which may contain spaces): utime is the 12th.
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            return None
        return total / tick


@contextmanager
def gunicorn(environment: dict[str, str], *, workers: int, threads: int, log: Path):
    """Serve the app on a free local port; yields a :class:`Server` and stops it after."""
    port = free_port()
    env = {**os.environ, **environment}
    with log.open("w") as log_file:
        process = subprocess.Popen(  # noqa: S603 - fixed argv, our own venv's gunicorn
            gunicorn_command(port, workers, threads),
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(base_url, process, log)
            yield Server(base_url, process.pid)
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_up(base_url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited early; see {log}:\n{log.read_text()[-2000:]}")
        try:
            if requests.get(f"{base_url}/login", timeout=5).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not answer within 30 s; see {log}")


def warm_up(base_url: str, token: str, article_id: int, rounds: int = 40) -> None:
    """Touch every worker once so imports and template compilation are not measured."""
    headers = {"Authorization": f"Bearer {token}", "Connection": "close"}
    for _ in range(rounds):
        # A new connection each time, so the kernel hands requests to different workers.
        url = f"{base_url}/api/v1/articles/{article_id}/annotations"
        requests.get(url, headers=headers, timeout=30).raise_for_status()
