"""Renderers: `PackView` → bytes.

`html` renders the Jinja templates (built-in or a user's sandboxed overlay) to HTML, `pdf` lays
the HTML out with WeasyPrint as a PDF/A-3 pack, `word` builds the Word pack, and `charts` draws
the trend chart (SVG for the PDF, PNG for Word). Renderers return bytes; `outputs` writes files.
"""
