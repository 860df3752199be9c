"""normgraph: a knowledge graph of the UN cyber-norms instruments."""

__version__ = "0.1.0"
