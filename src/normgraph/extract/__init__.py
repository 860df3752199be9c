"""Stage 2, extract: Paragraphs -> Records (typed references, recommendations, principles,
norm and theme mentions, facts stated about bodies), each with its paragraph; and the scoring
of extraction against hand-checked gold files.
May import: read, and the root modules.
"""
