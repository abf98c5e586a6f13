"""The model every stage shares: typed records (kg.model.records) and the vocabulary
(kg.model.vocab: namespaces, class and code tables, IRI compaction)."""
