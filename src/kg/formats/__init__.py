"""Writers, one module per format (as rdflib's plugins are laid out): SPARQL results and RDF."""
