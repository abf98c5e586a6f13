"""The model every stage shares: typed records and the vocabulary (namespaces, codes, IRIs)."""
