"""Fixtures of the publish tests: the folder kg publish writes from data/ (once a session) and
a loopback static HTTP server over it."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.publish.site import Published, publish


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    return publish(tmp_path_factory.mktemp("site") / "site")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="session")
def static_server(published: Published) -> Iterator[str]:
    """A plain static server (what GitHub Pages is) over the folder: its URL, ending in /."""
    handler = functools.partial(_Quiet, directory=str(published.out))
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}/"
    finally:
        srv.shutdown()
        srv.server_close()


def folder_url(out: Path) -> str:
    return out.resolve().as_uri() + "/"
