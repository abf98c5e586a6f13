"""One SPARQL lexer for every check made on query text, local (kg query) and remote (kg serve).

It finds keywords, braces, variables, IRIs and prefixed names outside strings and comments,
the way the engines read them (a comment ends at a line feed *or* a carriage return, as in
Oxigraph; an IRI may hold ``\\u`` escapes), so that a keyword the engine will run is never taken
for part of a comment or a string. It never rewrites a query.
"""

from __future__ import annotations

import gc
import re
from typing import NamedTuple

_PN_LOCAL_ESC = r"\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_LOCAL = r"(?:[\w:%\-]|" + _PN_LOCAL_ESC + r"|\.(?=[\w:%\\]))*"


def _token_re(prefixed: bool) -> re.Pattern[str]:
    # Strings are not here (only their opening quote): tokenize reads them, so that text
    # full of quotes and backslashes costs linear time. A prefix is left out where tokenize
    # knows none can end with ':' (the run of name characters it would start ends elsewhere).
    prefix = r"(?:[^\W\d_][\w.\-]*)?" if prefixed else ""
    return re.compile(
        r"""
        (?P<ws>\s+)
      | (?P<comment>\#[^\n\r]*)
      | (?P<quote>['"])
      | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
      | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
      | (?P<bnode>_:[\w.\-]+)
      | (?P<pname>"""
        + prefix
        + ":"
        + _PN_LOCAL
        + r""")
      | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
      | (?P<number>\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
      | (?P<word>[^\W\d]\w*)
      | (?P<punct>\^\^|&&|\|\||!=|<=|>=|.)
        """,
        re.VERBOSE | re.DOTALL,
    )


_TOKEN = _token_re(prefixed=True)
_KINDS = ("", *_TOKEN.groupindex)  # group number -> token kind
_COMMENT, _QUOTE, _WORD = (_TOKEN.groupindex[k] for k in ("comment", "quote", "word"))
_TOKEN_NO_PREFIX = _token_re(prefixed=False)
_PREFIX_RUN = re.compile(r"[^\W\d_][\w.\-]*")
# A string's opening quote and what follows it up to where it would close: the caller checks
# that the closing quote is there. Each reads on as far as it can, never backtracking.
_LONG = {q: re.compile(rf"{q * 3}(?:[^{q}\\]|\\.|{q}(?!{q}{q}))*", re.DOTALL) for q in "'\""}
_SHORT = {q: re.compile(rf"{q}(?:[^{q}\\\n\r]|\\.)*", re.DOTALL) for q in "'\""}

#: The query forms, and the words that start a SPARQL Update operation.
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = (
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "DROP",
    "CREATE",
    "ADD",
    "MOVE",
    "COPY",
    "WITH",
)


class Token(NamedTuple):
    kind: str  # iri, string, var, bnode, pname, lang, number, word, bad (a lone quote), punct
    value: str
    start: int  # character offset in the text


def tokenize(text: str) -> list[Token]:
    """The significant tokens of SPARQL text (whitespace and comments dropped), in order.

    Linear in the length of the text. A string (one-line or long, either quote) that does not
    close is a lone quote (``bad``) and lexing goes on after it, as if no string had started.
    An attempt that failed tells where later attempts of the same kind must fail too, so none
    is made twice over the same text: a one-line string that ran to offset ``e`` without
    closing has every quote of its kind before ``e`` escaped, so a string opened at one of them
    reads on in step with it and stops at ``e`` too; a long string that ran to the end leaves
    no three unescaped quotes of its kind after it; and a run of name characters (``a.b-c``)
    that is not followed by ':' is no prefix, nor is any part of it.
    """
    # Tokens hold no cycles: the cyclic collector has nothing to find in them, and run over a
    # list of 256K of them it doubles the time taken.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _tokens(text)
    finally:
        if collecting:
            gc.enable()


def _tokens(text: str) -> list[Token]:
    out: list[Token] = []
    append = out.append
    n = len(text)
    pos = 0
    no_prefix_before = 0  # no prefixed name with a prefix starts before this offset
    short_fails_before = {"'": 0, '"': 0}  # no one-line string of this quote starts before
    long_fails = {"'": False, '"': False}  # no long string of this quote starts from here on
    kinds = _KINDS
    while pos < n:
        prefixed = pos >= no_prefix_before
        for m in (_TOKEN if prefixed else _TOKEN_NO_PREFIX).finditer(text, pos):
            k = m.lastindex
            if k is None or k <= _COMMENT:
                continue
            start = m.start()
            if not prefixed and start >= no_prefix_before:
                pos = start  # past the run: read this token again, prefixes allowed
                break
            if k == _QUOTE:
                c = text[start]
                if start < short_fails_before[c] and (
                    long_fails[c] or not text.startswith(c * 3, start)
                ):  # no string can start here (known): a lone quote, without a second look
                    append(Token("bad", c, start))
                    continue
                pos = _string(text, start, short_fails_before, long_fails, append)
                if pos > start + 1:  # a string: go on after it
                    break
                continue  # a lone quote: go on with the next character
            append(Token(kinds[k], m.group(), start))
            if k == _WORD and prefixed:
                end = m.end()
                if text.startswith((".", "-"), end):  # a.b-c: its tail cannot start a prefix
                    run = _PREFIX_RUN.match(text, start)
                    if run and run.end() > end:
                        no_prefix_before = run.end()
                        pos = end
                        break
        else:
            break
    return out


def _string(
    text: str,
    start: int,
    short_fails_before: dict[str, int],
    long_fails: dict[str, bool],
    append,
) -> int:
    """Read the string or lone quote at ``start``; append its token, return where lexing goes on."""
    c = text[start]
    if not long_fails[c] and text.startswith(c * 3, start):
        e = _LONG[c].match(text, start).end()  # type: ignore[union-attr]
        if text.startswith(c * 3, e):
            append(Token("string", text[start : e + 3], start))
            return e + 3
        long_fails[c] = True
    if start >= short_fails_before[c]:
        e = _SHORT[c].match(text, start).end()  # type: ignore[union-attr]
        if text.startswith(c, e):
            append(Token("string", text[start : e + 1], start))
            return e + 1
        short_fails_before[c] = e
    append(Token("bad", c, start))
    return start + 1


def service_hidden(text: str) -> bool:
    """True unless rdflib's parser confirms that text mentioning "service" has no SERVICE clause.

    A second opinion for text whose token scan found no SERVICE keyword although the word
    occurs (in a string, an IRI, a comment): text that rdflib cannot parse counts as hiding one.
    """
    if "service" not in text.lower():
        return False
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(text)
    except Exception:  # pyparsing's ParseException and relatives: we cannot be sure
        return True
    return "ServiceGraphPattern" in repr(tree)
