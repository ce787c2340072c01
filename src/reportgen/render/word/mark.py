"""A recipient's mark on their Word copy: the issued Word pack + the mark's line in, the pack with
that line under the footer of every page out, as `render.stamp` marks the PDF.

    Word pack bytes + "Prepared for NAME, ORGANISATION · DATE · CONFIDENTIAL"
      ─ python-docx: one centred paragraph (7 pt, bold, the palette's mark grey) appended to
        each footer the pack defines, the title page's included ─▶ marked Word bytes

The line is text in the footer, so Word shows it on every page, searches and prints it, and a
reader cannot remove it without editing the footer (the copy sent encrypted is read-only
unless its password is known). Nothing else of the pack is touched.
"""

from __future__ import annotations

import io

from ...present.palette import PALETTE, hex_digits

MARK_SIZE = 7  # points, as the PDF's mark


def mark_docx(data: bytes, text: str) -> bytes:
    """`data` (a .docx) with `text` as the last line of every footer it defines."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    document = Document(io.BytesIO(data))
    style = next((s for s in document.styles if s.name == "Footer"), None)
    for section in document.sections:
        for story in (section.footer, section.first_page_footer, section.even_page_footer):
            if story.is_linked_to_previous:  # none of its own: the previous section's shows
                continue
            paragraph = story.add_paragraph(style=style)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.space_before = Pt(3)
            run = paragraph.add_run(text)
            run.font.size = Pt(MARK_SIZE)
            run.font.bold = True
            run.font.color.rgb = RGBColor.from_string(hex_digits(PALETTE.mark))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
