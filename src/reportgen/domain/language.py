"""A BCP 47 language tag (`de`, `de-AT`, `fr-CH`, `ja`) → the tag reportgen speaks it in, or a
ValueError saying which languages it ships; no Babel, so `validate` and the settings stay fast.

A tag is accepted when its primary subtag is a shipped language (`SHIPPED`, one gettext
catalogue each under `reportgen/locale/`); its region, when given, picks the number and date
habits (`de-AT`, `fr-CH`) while the words come from the language's catalogue.
"""

from __future__ import annotations

import re

ENGLISH = "en"
SHIPPED = ("en", "de", "fr", "ja")  # tests/present/test_language.py holds it to the catalogues
NAMES = {"en": "English", "de": "German", "fr": "French", "ja": "Japanese"}
_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_]([A-Za-z]{4}))?(?:[-_]([A-Za-z]{2}|[0-9]{3}))?$")


def language_tag(raw: str) -> str:
    """`raw` as a canonical tag ("de", "de-AT", "ja"); ValueError naming the shipped languages
    when it is not a tag or its language is not one of them."""
    text = raw.strip()
    match = _TAG.match(text)
    shipped = ", ".join(f"{tag} ({NAMES[tag]})" for tag in SHIPPED)
    if match is None:
        raise ValueError(f"'{raw}' is not a BCP 47 language tag; write one such as de, fr-CH "
                         f"or ja (shipped: {shipped})")
    language, script, region = match.groups()
    if language.lower() not in SHIPPED:
        raise ValueError(f"'{raw}' is not a language reportgen ships; use one of {shipped}")
    parts = [language.lower()] + ([script.title()] if script else []) + (
        [region.upper()] if region else [])
    return "-".join(parts)


def catalogue_of(tag: str) -> str:
    """The catalogue a canonical tag's words come from: "de-AT" → "de"."""
    return tag.split("-")[0]


def babel_locale(tag: str) -> str:
    """The Babel locale a canonical tag's numbers and dates follow: "de-AT" → "de_AT"."""
    return tag.replace("-", "_")
