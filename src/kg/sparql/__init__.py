"""SPARQL: the lexer, the one policy for query text, named queries, parameters and running."""
