"""Checks on the built graph: SHACL shapes and HermiT reasoning (validate), ontology docs."""
