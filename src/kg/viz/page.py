"""What every self-contained page (the views, the WebGL view, the overview) is made of: data and
scripts made safe to inline, the Content-Security-Policy hash of an inlined script, and the
page assets of ``kg/viz/assets/``: one of each, for the three pages."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["asset", "csp_hash", "script_json", "script_json_text", "script_text"]

_UNSAFE_IN_TEXT = re.compile(r"[<>&]|[^\x00-\x7f]")


def script_json(obj: Any, *, ascii: bool = True) -> str:
    """``obj`` as JSON safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` at all (so
    no ``</script>``), and ASCII only unless ``ascii`` is false (a large view is mostly
    Japanese labels, which ``\\uXXXX`` escapes double in size)."""
    text = json.dumps(obj, ensure_ascii=ascii, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _escaped(match: re.Match[str]) -> str:
    units = match.group().encode("utf-16-be")  # a character beyond U+FFFF: two escapes
    pairs = (units[i : i + 2] for i in range(0, len(units), 2))
    return "".join(f"\\u{int.from_bytes(pair, 'big'):04x}" for pair in pairs)


def script_json_text(text: str) -> str:
    """JSON text made safe as :func:`script_json` makes it (ASCII, no ``<``, ``>`` or ``&``)
    without parsing it: the same JSON value, for a large file that is JSON already (the
    world map, 0.75 MB: parsing and writing it again was 0.07 s of each build).

    >>> script_json_text('{"name": "Côte <d>"}')
    '{"name": "C\\\\u00f4te \\\\u003cd\\\\u003e"}'
    """
    return _UNSAFE_IN_TEXT.sub(_escaped, text)


def script_text(text: str) -> str:
    """A script's text safe to inline: no ``</script`` ends its element early."""
    return text.replace("</script", "<\\/script")


def csp_hash(text: str) -> str:
    """The Content-Security-Policy source that allows the inline script ``text``."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode() + "'"


@cache
def asset(name: str) -> str:
    """The text of ``kg/viz/assets/<name>``, read through importlib.resources so that it is
    found in an installed wheel or zip as well as in the source tree."""
    return (resources.files("kg.viz") / "assets" / name).read_text(encoding="utf-8")
