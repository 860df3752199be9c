"""Stage 1, read: bytes as received -> Document (text and metadata), then Paragraphs.

Owns the readers of each shape a document arrives in (front matter, Markdown, OCR, web text,
PDF files laid out by pdfminer.six), the segmenter (numbered and lettered paragraphs,
preambular and operative, headings, footnotes), the grammar of UN document symbols, the
catalog of source files, and YAML read with limits (safe_yaml) and checked by schemas (schema).
May import: the root modules (model, config, resources) only.
"""
