"""The Word reference document: a path (or none: the packaged `templates/reference.docx`) → a
python-docx `Document` to build the pack on, and the ids of the styles the pack uses, copied
from the packaged reference where a user's reference lacks them (as pandoc's reference docx)."""

from __future__ import annotations

import io
import zipfile
from copy import deepcopy
from functools import cache
from importlib.resources import files
from pathlib import Path

import docx
from docx.document import Document
from docx.oxml.ns import qn
from lxml import etree

from ...errors import RenderError

# styles the pack uses, by their names in styles.xml
STYLES = ("Normal", "Title", "Subtitle", "heading 1", "heading 2", "caption", "header", "footer",
          "TOC Heading", "toc 1", "Table Text", "Pack Table")


@cache
def _default_reference() -> bytes:
    return (files("reportgen") / "templates" / "reference.docx").read_bytes()


def open_reference(reference: Path | None) -> Document:
    if reference is None:
        return docx.Document(io.BytesIO(_default_reference()))
    try:
        return docx.Document(io.BytesIO(reference.read_bytes()))
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise RenderError(f"{reference}: cannot be used as the Word reference document: "
                          f"{exc}") from None


@cache
def _default_styles() -> dict[str, etree._Element]:
    """The packaged reference's style elements, by name (case-folded) and by id."""
    doc = docx.Document(io.BytesIO(_default_reference()))
    found: dict[str, etree._Element] = {}
    for style in doc.styles.element.findall(qn("w:style")):
        found[_style_name(style)] = style
        found["#" + style.get(qn("w:styleId"))] = style
    return found


def style_ids(doc: Document) -> dict[str, str]:
    """Style ids for `STYLES`; a style the reference lacks is copied from the packaged one."""
    root = doc.styles.element
    ids = {_style_name(s): s.get(qn("w:styleId")) for s in root.findall(qn("w:style"))}
    default = _default_styles()

    def adopt(style: etree._Element) -> str:
        """Copy `style`, pointing its basedOn / next at the reference's styles of those names
        (copying them too when the reference has none)."""
        copy = deepcopy(style)
        root.append(copy)
        ids[_style_name(style)] = style_id = _attribute(style, "w:styleId")
        for link in copy.findall(qn("w:link")):
            copy.remove(link)
        for ref in (copy.find(qn("w:basedOn")), copy.find(qn("w:next"))):
            if ref is not None:
                name = _style_name(default["#" + _attribute(ref, "w:val")])
                ref.set(qn("w:val"), ids.get(name) or adopt(default[name]))
        return style_id

    for name in STYLES:
        if name.casefold() not in ids:
            adopt(default[name.casefold()])
    return {name: ids[name.casefold()] for name in STYLES}


# The East Asian face Word is to use for CJK text (the PDF's `render.fonts` stack has the same)
EAST_ASIAN_FONT = "Noto Sans CJK JP"
LATIN_IN_CJK = "en-US"  # the language of a CJK pack's Latin text (Word's own default)


def set_language(doc: Document, tag: str) -> None:
    """Marks the document's text as written in `tag` (Word's proofing and line breaking), and
    names the Noto CJK face for East Asian text, as the PDF uses, for a Japanese pack's fixed
    words and data alike. In a CJK pack the tag goes to East Asian text only: Latin text there
    is the workbook's (KPI names, owners), marked English, since a Latin word marked Japanese
    is broken anywhere by LibreOffice ("Joint Reven" / "ue Growth")."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = etree.SubElement(styles, qn("w:docDefaults"))
        styles.insert(0, defaults)
    run = defaults.find(qn("w:rPrDefault"))
    if run is None:
        run = etree.SubElement(defaults, qn("w:rPrDefault"))
    props = run.find(qn("w:rPr"))
    if props is None:
        props = etree.SubElement(run, qn("w:rPr"))
    fonts = props.find(qn("w:rFonts"))
    if fonts is None:
        fonts = etree.Element(qn("w:rFonts"))
        props.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    lang = props.find(qn("w:lang"))
    if lang is None:
        lang = etree.SubElement(props, qn("w:lang"))
    east_asian = tag.split("-")[0] in ("ja", "zh", "ko")
    lang.set(qn("w:val"), LATIN_IN_CJK if east_asian else tag)
    if east_asian:
        lang.set(qn("w:eastAsia"), tag)


def _style_name(style: etree._Element) -> str:
    name = style.find(qn("w:name"))
    return (_attribute(name, "w:val") if name is not None
            else _attribute(style, "w:styleId")).casefold()


def _attribute(element: etree._Element, name: str) -> str:
    """A `w:` attribute that the schema requires ('' when a malformed reference lacks it)."""
    return element.get(qn(name)) or ""


