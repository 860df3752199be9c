"""Stage 1, read: bytes as received -> Document (text and metadata), then Paragraphs.

Owns the readers of each shape a document arrives in (front matter, Markdown, OCR, web text),
the segmenter (numbered and lettered paragraphs, preambular and operative, headings,
footnotes), the grammar of UN document symbols and the catalog of source files.
May import: the root modules (model, config, resources) only.
"""
