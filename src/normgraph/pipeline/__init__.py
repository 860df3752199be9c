"""Stage 6, pipeline: the pass run end to end (source files -> dump), as ``normgraph build``
and ``normgraph ingest`` run it.
May import: the stages above it (read .. store) and the root modules.
"""
