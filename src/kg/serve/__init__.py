"""``kg serve``: the read-only SPARQL endpoint, the query page (static/) and the pages of the
graph (pages, templates/)."""
