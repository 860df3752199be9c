"""Stage 4, check: the graph against ontology/shapes.ttl, with pySHACL (validate) or, for
large graphs, with the shapes compiled to SPARQL on Oxigraph (shacl_sparql).
May import: read, extract, graph, and the root modules.
"""
