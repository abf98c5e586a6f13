"""``kg serve``: the read-only SPARQL endpoint and the query page (static/)."""
