"""Servers the store tests start on loopback (oxigraph serve, virtuoso-t): a free port, a wait
until the SPARQL endpoint answers, and a stop whatever happens."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(
    query_url: str, proc: subprocess.Popen | None, log: Path, seconds: float, name: str
) -> None:
    """Until ``query_url`` (an endpoint asked ``ASK {}``) answers 200; a clear error with the
    log's tail if the process ends or the time runs out first."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{query_url}?query=ASK%7B%7D", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if (proc is not None and proc.poll() is not None) or time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else "(no log)"
            raise RuntimeError(f"{name} did not start; {log}:\n{tail}")
        time.sleep(0.1)


@contextmanager
def running(
    cmd: list[str],
    query_url: str,
    log: Path,
    *,
    seconds: float,
    cwd: Path | None = None,
    server_log: Path | None = None,
) -> Iterator[subprocess.Popen]:
    """``cmd`` started with its output in ``log``, up once ``query_url`` answers (``server_log``:
    the file to show if it does not, when the server writes its own), stopped after the block
    (SIGTERM, then SIGKILL)."""
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_until_up(query_url, proc, server_log or log, seconds, Path(cmd[0]).name)
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
