"""One SPARQL lexer for every check made on query text, local (kg query) and remote (kg serve).

It finds keywords, braces, variables, IRIs and prefixed names outside strings and comments,
the way the engines read them (a comment ends at a line feed *or* a carriage return, as in
Oxigraph; an IRI may hold ``\\u`` escapes), so that a keyword the engine will run is never taken
for part of a comment or a string. It never rewrites a query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PN_LOCAL_ESC = r"\\[_~.\-!$&'()*+,;=/?#@%]"
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
  | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
  | (?P<bnode>_:[\w.\-]+)
  | (?P<pname>(?:[^\W\d_][\w.\-]*)?:(?:[\w:%\-]|"""
    + _PN_LOCAL_ESC
    + r"""|\.(?=[\w:%\\]))*)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<number>\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
  | (?P<word>[^\W\d]\w*)
  | (?P<bad>["'])
  | (?P<punct>\^\^|&&|\|\||!=|<=|>=|.)
    """,
    re.VERBOSE | re.DOTALL,
)

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


@dataclass(frozen=True)
class Token:
    kind: str  # iri, string, var, bnode, pname, lang, number, word, bad (a lone quote), punct
    value: str
    start: int  # character offset in the text


def tokenize(text: str) -> list[Token]:
    """The significant tokens of SPARQL text (whitespace and comments dropped), in order."""
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "punct"
        if kind not in ("ws", "comment"):
            out.append(Token(kind, m.group(), m.start()))
    return out


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
