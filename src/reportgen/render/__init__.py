"""Renderers: `PackView` → bytes.

`html` renders the Jinja templates (built-in or a user's sandboxed overlay) to HTML, `charts`
draws the trend chart as inline SVG, `pdf` lays the HTML out with WeasyPrint as a PDF/A-3 pack;
`docx` builds the Word pack, with the trend chart from `chart_png`.
"""
