"""Stage 3, graph: Records and the curated reference data -> triples. Owns the vocabulary
and IRI minting (vocab), the reference data (reference), the one module that writes triples
(builder), the dataset description (describe), the deterministic serialisations (dump, and
jsonld compacted with the shipped context) and a dump read back into rdflib (load).
May import: read, extract, and the root modules.
"""
