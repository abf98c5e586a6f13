"""kg publish: the whole graph as a static folder (pages, search, views, downloads, SPARQL in
the browser) that works from disk or any static host."""
