"""Stage 3, graph: Records and the curated reference data -> triples. Owns the vocabulary
and IRI minting (vocab), the reference data (reference), the one module that writes triples
(builder), the dataset description (describe) and the deterministic serialisations (dump).
May import: read, extract, and the root modules.
"""
