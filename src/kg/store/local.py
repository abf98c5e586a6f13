"""The embedded store: an on-disk Oxigraph database next to the graph files (data/store/).

`kg build` fills it (see :func:`post_build`) from the N-Triples it has just written, so that a
query opens a ready index instead of re-parsing Turtle. The store holds the graph in its default
graph. It is rebuilt from scratch on every build, in a sibling folder that then replaces the old
one, so a reader never sees a half-written store; readers open it read-only, so several
processes (a `kg serve`, a notebook, `kg query`) can use it at once.

A stamp file records which kg.nt the store was built from (size and modification time): a store
that no longer matches its kg.nt is rebuilt when it is next opened.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import StoreError

if TYPE_CHECKING:  # imported lazily: the CLI imports this module on every command
    import pyoxigraph
    import rdflib

#: Where queries run (kg.sparql.run.open_graph): on-disk Oxigraph, Oxigraph in memory, rdflib.
BACKENDS = ("store", "store-memory", "memory")
STORE_DIRNAME = "store"
STAMP_NAME = "kg-store.json"
GRAPH_FILE = "kg.nt"


def store_dir(data_dir: Path) -> Path:
    return Path(data_dir) / STORE_DIRNAME


def _file_stamp(nt_path: Path) -> dict:
    st = nt_path.stat()
    return {"source": nt_path.name, "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def read_stamp(store: Path) -> dict | None:
    try:
        return json.loads((store / STAMP_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_current(data_dir: Path) -> bool:
    """True when data_dir/store exists and was built from the present data_dir/kg.nt."""
    nt = Path(data_dir) / GRAPH_FILE
    stamp = read_stamp(store_dir(data_dir))
    if stamp is None or not nt.exists():
        return False
    current = _file_stamp(nt)
    return all(stamp.get(k) == v for k, v in current.items())


def build_store(nt_path: Path, target: Path) -> dict:
    """Load an N-Triples file into a new Oxigraph store at `target` (replacing it atomically).

    Returns the stamp written next to the data: source file size/mtime, triple count, seconds.
    """
    import pyoxigraph as ox

    nt_path = Path(nt_path)
    target = Path(target)
    if not nt_path.exists():
        raise StoreError(f"{nt_path} not found; run `kg build` first")
    t0 = time.perf_counter()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    for leftover in (tmp, old):
        shutil.rmtree(leftover, ignore_errors=True)
    try:
        store = ox.Store(str(tmp))
        try:
            store.bulk_load(path=str(nt_path), format=ox.RdfFormat.N_TRIPLES)
        except (OSError, SyntaxError) as exc:  # a truncated or hand-edited kg.nt
            raise StoreError(f"cannot load {nt_path}: {exc}; run `kg build` again") from None
        store.flush()
        store.optimize()
        count = len(store)
        del store
        stamp = {
            **_file_stamp(nt_path),
            "triples": count,
            "seconds": round(time.perf_counter() - t0, 3),
            "pyoxigraph": ox.__version__,
        }
        (tmp / STAMP_NAME).write_text(json.dumps(stamp, indent=1) + "\n", encoding="utf-8")
        if target.exists():
            target.rename(old)
        tmp.rename(target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old.exists() and not target.exists():
            old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return stamp


def ensure_store(data_dir: Path) -> Path:
    """data_dir/store, built (or rebuilt) from data_dir/kg.nt when missing or stale."""
    data_dir = Path(data_dir)
    target = store_dir(data_dir)
    if not is_current(data_dir):
        build_store(data_dir / GRAPH_FILE, target)
    return target


def open_store(data_dir: Path) -> pyoxigraph.Store:
    """The pyoxigraph store of data_dir, read-only (built first when missing or stale)."""
    import pyoxigraph as ox

    target = ensure_store(data_dir)
    try:
        return ox.Store.read_only(str(target))
    except OSError as exc:
        raise StoreError(f"cannot open the store {target}: {exc}") from exc


def memory_store(nt_path: Path) -> pyoxigraph.Store:
    """A new in-memory Oxigraph store holding the N-Triples file nt_path (data/kg.nt).

    The same engine as the on-disk store, without its per-lookup cost (index lookups on the
    on-disk store take several microseconds each, so joins over many events run about 4x slower
    there). Loading costs time up front (about 0.4 million triples per second), so this suits
    processes that run many queries: notebooks, ``kg serve``'s workers.
    """
    import pyoxigraph as ox

    nt = Path(nt_path)
    if not nt.exists():
        raise StoreError(f"{nt} not found; run `kg build` first")
    store = ox.Store()
    try:
        store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
    except (OSError, SyntaxError) as exc:
        raise StoreError(f"cannot load {nt}: {exc}; run `kg build` again") from None
    return store


def store_graph(data_dir: Path, in_memory: bool = False) -> rdflib.Graph:
    """An rdflib Graph over the store (oxrdflib): SPARQL runs in Oxigraph.

    The on-disk store of data_dir, read-only; or, with ``in_memory``, a copy of the graph held
    in memory (:func:`memory_store`).
    """
    import rdflib
    from oxrdflib import OxigraphStore
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    from kg.model.vocab import PREFIXES

    store = memory_store(Path(data_dir) / GRAPH_FILE) if in_memory else open_store(data_dir)
    g = rdflib.Graph(
        store=OxigraphStore(store=store),
        identifier=DATASET_DEFAULT_GRAPH_ID,
        bind_namespaces="none",
    )
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    return g
