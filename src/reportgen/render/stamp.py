"""The per-recipient mark: the issued PDF + a line of text in, the PDF marked on every page out.

    "Prepared for NAME, ORGANISATION · DATE · CONFIDENTIAL" + the configured font
      ─ WeasyPrint (once per recipient: one overlay page per page size in the pack, in the
        pack's font stack, so any script the pack can show, the mark can too) ─▶ overlay PDF
    issued PDF ─ pikepdf: the overlay laid over each page, nothing laid out again; the master's
      own signature dropped (a copy is a new file: it is signed afresh) ─▶ marked PDF bytes

The mark is light grey, 7 pt, centred in the bottom 6 mm of the page: below the footer
(which sits at the top of the 14 mm bottom margin), so it never covers a figure or a table.
The text is real text, so it can be found by searching or extracting the page.
"""

from __future__ import annotations

import html
import io

from ..present.palette import PALETTE
from .assets import TEMPLATES
from .fonts import css_stack
from .pdf import AssetFetcher, font_config

MM_PER_POINT = 25.4 / 72
_FONTS = "\n".join(
    f'@font-face {{ font-family: "Reportgen Inter"; font-weight: {weight}; '
    f'src: url("fonts/Inter-{name}.otf"); }}' for weight, name in ((400, "Regular"),
                                                                   (600, "SemiBold")))
_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><style>
{fonts}
{pages}
html {{ font-family: {stack}; }}
body {{ margin: 0; }}
.mark {{ position: absolute; left: 0; right: 0; bottom: 2.2mm; text-align: center;
  font-size: 7pt; font-weight: 600; letter-spacing: 0.02em; color: {colour}; }}
</style></head><body>{sheets}</body></html>"""


def overlay_pdf(text: str, sizes: list[tuple[float, float]], font: str) -> bytes:
    """One page per (width, height) in points, each carrying `text` in the bottom margin."""
    from weasyprint import HTML

    pages = "\n".join(f"@page s{i} {{ size: {w * MM_PER_POINT:.3f}mm {h * MM_PER_POINT:.3f}mm; "
                      f"margin: 0; }} .s{i} {{ page: s{i}; }}" for i, (w, h) in enumerate(sizes))
    sheets = "".join(
        f'<section class="s{i}" style="position: relative; height: {h * MM_PER_POINT:.3f}mm; '
        f'break-after: page"><p class="mark">{html.escape(text)}</p></section>'
        for i, (_, h) in enumerate(sizes))
    document = _PAGE.format(fonts=_FONTS, pages=pages, stack=css_stack(font), sheets=sheets,
                            colour=PALETTE.mark)
    return bytes(HTML(string=document, base_url=TEMPLATES.as_uri() + "/",
                      url_fetcher=AssetFetcher()).write_pdf(font_config=font_config()))


def stamp_pdf(data: bytes, text: str, font: str) -> bytes:
    """`data` with `text` marked on every page; its signatures removed (they no longer hold)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        sizes = list(dict.fromkeys(_size(page) for page in pdf.pages))
        with pikepdf.open(io.BytesIO(overlay_pdf(text, sizes, font))) as overlay:
            marks = {size: overlay.pages[i] for i, size in enumerate(sizes)}
            for page in pdf.pages:
                page.add_overlay(marks[_size(page)], pikepdf.Rectangle(page.mediabox))
            drop_signatures(pdf)
            out = io.BytesIO()
            pdf.save(out)
    return out.getvalue()


def _size(page: object) -> tuple[float, float]:
    box = page.mediabox  # type: ignore[attr-defined]
    return (round(float(box[2]) - float(box[0]), 2), round(float(box[3]) - float(box[1]), 2))


def drop_signatures(pdf: object) -> None:
    """Remove the signature fields (and their widgets): the copy's bytes are not those signed."""
    import pikepdf

    assert isinstance(pdf, pikepdf.Pdf)
    form = pdf.Root.get("/AcroForm")
    if form is not None:
        kept = [f for f in form.get("/Fields", []) if f.get("/FT") != "/Sig"]
        if kept:
            form.Fields = pikepdf.Array(kept)
            if "/SigFlags" in form:
                del form["/SigFlags"]
        else:
            del pdf.Root["/AcroForm"]
    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if annots is None:
            continue
        kept = [a for a in annots if a.get("/FT") != "/Sig"]
        if kept:
            page.obj.Annots = pikepdf.Array(kept)
        else:
            del page.obj["/Annots"]
