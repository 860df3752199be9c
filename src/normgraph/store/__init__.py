"""Stage 5, store: where queries run and what leaves the build. Owns the terms and rows a
query takes and gives (terms), the canned query catalogue (catalogue), the local Oxigraph store
and remote endpoints (triplestore), and releases and diffs (release).
May import: the stages above it (read, extract, graph, check) and the root modules.
"""
