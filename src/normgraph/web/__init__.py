"""The web layer: a static site (site) and a server with content negotiation and a read-only
SPARQL endpoint (server).
May import: normgraph.api (the one face of the library) and its own modules only.
"""
