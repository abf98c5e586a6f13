"""Where the graph lives for querying: the embedded Oxigraph store (local), external servers."""

from kg.store.local import BACKENDS

__all__ = ["BACKENDS"]
