"""A language tag → the words and habits one pack is written in: the gettext catalogue
(`reportgen/locale/<lang>/LC_MESSAGES/reportgen.po`, compiled in memory at first use, or its
`.mo` when `pybabel compile` made one), the fixed wording (`wording.Wording`) translated, and the
locale numbers and dates follow (`domain.measures.LOCALE`).

`with speaking("de"):` puts a language in force for building one pack's view and rendering it;
`_`, `ngettext` and `words()` read it, as `domain.measures` does for figures. English is the
catalogue's own msgids: a pack in English imports no Babel. A msgid a catalogue lacks falls
back to English; `untranslated(tag)` lists them for `validate --strict`.
"""

from __future__ import annotations

import dataclasses
import gettext as gnu
import io
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain.language import ENGLISH, NAMES, babel_locale, catalogue_of
from ..domain.measures import LOCALE
from ..domain.model import Quarter, ReviewInput
from .wording import N_, Wording

if TYPE_CHECKING:
    from jinja2 import Environment

DOMAIN = "reportgen"
_IN_FORCE: ContextVar[str] = ContextVar("reportgen_language", default=ENGLISH)

# The words of the domain's enumerations as the pack shows them (`term`): statuses, ratings,
# states and governance models.
TERMS = (N_("Green"), N_("Amber"), N_("Red"), N_("No data"), N_("Low"), N_("Medium"),
         N_("High"), N_("Critical"), N_("Open"), N_("Closed"), N_("Decided"), N_("Done"),
         N_("Direct Sponsorship"), N_("Joint Steering Committee"),
         N_("Three-Tiered Governance"))


@contextmanager
def speaking(tag: str) -> Iterator[None]:
    """Writes the pack (its words, numbers and dates) in `tag`, a canonical language tag (""
    or "en" for English), until the block ends."""
    tag = tag or ENGLISH
    words_token = _IN_FORCE.set(tag)
    locale_token = LOCALE.set(ENGLISH if tag == ENGLISH else babel_locale(tag))
    try:
        yield
    finally:
        LOCALE.reset(locale_token)
        _IN_FORCE.reset(words_token)


def in_force() -> str:
    """The tag of the language in force ("en" outside `speaking`)."""
    return _IN_FORCE.get()


def gettext(message: str) -> str:
    """`message` in the language in force (`_` in the modules of `present`)."""
    return catalogue(catalogue_of(_IN_FORCE.get())).gettext(message)


_ = gettext


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of `singular`/`plural` for `n` in the language in force (its own plural rule:
    Japanese has one form, French counts 0 and 1 as singular)."""
    return catalogue(catalogue_of(_IN_FORCE.get())).ngettext(singular, plural, n)


def term(value: StrEnum) -> str:
    """A status, rating or state ("Green", "High", "Open") in the language in force."""
    return _(value.value)


def quarter_label(quarter: Quarter | str) -> str:
    """A quarter ("2025-Q3" or a `Quarter`) as the language in force writes it: "Q3 2025",
    "T3 2025", "2025年第3四半期"."""
    q = Quarter.parse(quarter) if isinstance(quarter, str) else quarter
    return _("Q{quarter} {year}").format(quarter=q.number, year=q.year)


def quarter_short(quarter: Quarter | str) -> str:
    """The quarter without its year, as the heat map marks a moved risk: "Q2", "T2", "第2四半期"."""
    q = Quarter.parse(quarter) if isinstance(quarter, str) else quarter
    return _("Q{quarter}").format(quarter=q.number)


def join_words(parts: list[str]) -> str:
    """"a", "a and b", "a, b and c" ("a, b und c"; "a、b、c" in Japanese)."""
    if len(parts) == 1:
        return parts[0]
    return _("{items} and {last}").format(items=_(", ").join(parts[:-1]), last=parts[-1])


def speak(env: Environment) -> None:
    """Gives a Jinja environment (with `jinja2.ext.i18n`) `_`, `gettext` and `ngettext` in the
    language in force when it renders: `{{ _("Dear {name},").format(name=n) }}` in a template."""
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_, ngettext=ngettext, newstyle=False)


def words() -> Wording:
    """Every fixed label and sentence of the pack, in the language in force."""
    return _translated_words(catalogue_of(_IN_FORCE.get()))


@cache
def _translated_words(language: str) -> Wording:
    table = catalogue(language)
    return _translate(Wording(), table.gettext)


def _translate(value: Any, tr: Any) -> Any:
    if isinstance(value, str):
        return tr(value) if value else value
    if isinstance(value, tuple):
        return tuple(_translate(v, tr) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{
            f.name: _translate(getattr(value, f.name), tr) for f in dataclasses.fields(value)})
    return value


@cache
def catalogue(language: str) -> gnu.NullTranslations:
    """The compiled catalogue of `language` ("de"); English has none (its msgids are its text)."""
    if language == ENGLISH:
        return gnu.NullTranslations()
    folder = resources.files("reportgen") / "locale" / language / "LC_MESSAGES"
    compiled = folder / f"{DOMAIN}.mo"
    if compiled.is_file():
        return gnu.GNUTranslations(io.BytesIO(compiled.read_bytes()))
    return gnu.GNUTranslations(io.BytesIO(_compile((folder / f"{DOMAIN}.po").read_bytes())))


def _compile(po: bytes) -> bytes:
    """A `.po` file's bytes → the `.mo` bytes `pybabel compile` would write (fuzzy entries left
    out, as it does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    out = io.BytesIO()
    write_mo(out, read_po(io.BytesIO(po), domain=DOMAIN))
    return out.getvalue()


def untranslated(language: str, folder: Path | None = None) -> tuple[str, ...]:
    """The msgids of the English template (`reportgen.pot`) that `language`'s catalogue does not
    translate (missing, empty or fuzzy): they print in English. `folder` holds the catalogues
    (default: the shipped `reportgen/locale`)."""
    from babel.messages.pofile import read_po

    base = folder if folder is not None else resources.files("reportgen") / "locale"
    template = read_po(io.BytesIO((base / f"{DOMAIN}.pot").read_bytes()))
    if language == ENGLISH:
        return ()
    ours = read_po(io.BytesIO((base / language / "LC_MESSAGES" / f"{DOMAIN}.po").read_bytes()))
    missing = []
    for message in template:
        if not message.id:
            continue
        found = ours.get(message.id)
        strings = found.string if found is not None else None
        texts = strings if isinstance(strings, tuple) else (strings,)
        if found is None or found.fuzzy or not all(texts):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return tuple(missing)


def settings_language(config_path: Path | None) -> list[tuple[str, str]]:
    """[("reportgen.toml: language", its tag)] when settings are given, found or set in the
    environment, for `untranslated_warnings`; [] otherwise (English: nothing to check, and no
    settings to import)."""
    import os

    if (config_path is None and not Path("reportgen.toml").is_file()
            and not os.environ.get("REPORTGEN_LANGUAGE")):
        return []
    from ..config import load_settings

    return [(f"{config_path or 'reportgen.toml'}: language", load_settings(config_path).language)]


def languages_asked(source: str, reviews: Iterable[ReviewInput]) -> list[tuple[str, str]]:
    """(where, tag) for each language a workbook's packs would be written in: a Partnership
    sheet's Language and each recipient's `[tag]`, for `untranslated_warnings`."""
    asked = []
    for review in reviews:
        p = review.partnership
        asked.append((f"{source}: Partnership", p.language))
        asked += [(f"{source}: Partnership: Distribution {r.address}", r.language)
                  for r in p.distribution]
    return asked


def untranslated_warnings(asked: Iterable[tuple[str, str]],
                          folder: Path | None = None) -> list[str]:
    """A warning for each language asked for, as (where, tag) pairs ("book.xlsx: Partnership",
    "de"; a blank tag asks for nothing), whose catalogue (in `folder`, default the shipped ones)
    lacks fixed words, which would print in English: what `validate` (`--strict`: an error)
    reports, once per place and catalogue."""
    lines = []
    for where, tag in dict.fromkeys((w, t) for w, t in asked if t):
        language = catalogue_of(tag)
        missing = untranslated(language, folder)
        if missing:
            shown = "; ".join(repr(m) for m in missing[:3]) + (" …" if len(missing) > 3 else "")
            lines.append(f"{where}: warning: language {tag}: {len(missing)} fixed words have "
                         f"no {NAMES[language]} translation and print in English: {shown}")
    return lines
