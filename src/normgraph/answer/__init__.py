"""Stage 7, answer: the questions asked of a built graph: lineage (a link index walk or the
canned queries), the citation network (networkx), an instrument's card and counts (inspect),
a typed symbol resolved against a store (resolve), canned queries as typed Python values
(typed), and rows rendered as text (render).
May import: the stages above it and the root modules.
"""
