"""Where the shipped templates are, and the MIME types of the files a pack may load: names in,
nothing computed. Imports nothing, so the process laying out PDFs (`render.offload`) needs no
more than WeasyPrint and `render.pdf`."""

from __future__ import annotations

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
MIME_TYPES = {
    ".otf": "font/otf", ".ttf": "font/ttf", ".woff2": "font/woff2", ".css": "text/css",
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml",
}
