"""Packs in the reader's language: the language tag (settings, the Partnership sheet), the
shipped catalogues (complete, current, placeholders intact, a missing msgid in English and
reported), and numbers and dates by locale (`domain.measures` under `speaking`)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from reportgen.cli import main
from reportgen.config import load_settings
from reportgen.domain.language import SHIPPED, language_tag
from reportgen.domain.measures import (
    format_date,
    format_measure,
    format_percent,
    format_variance,
    variance,
)
from reportgen.domain.model import Measure
from reportgen.errors import ConfigError
from reportgen.present.language import (
    _,
    ngettext,
    speaking,
    untranslated,
    untranslated_warnings,
    words,
)
from workbooks import example_sheets, write

LOCALE = Path(str(resources.files("reportgen") / "locale"))
SOURCE = Path(__file__).resolve().parents[2] / "src" / "reportgen"
PLACEHOLDER = re.compile(r"\{(\w*)\}")
FOREIGN = [tag for tag in SHIPPED if tag != "en"]


def _catalogue(tag: str):
    with open(LOCALE / tag / "LC_MESSAGES" / "reportgen.po", "rb") as f:
        return read_po(f, locale=tag)


def test_the_shipped_languages_are_the_catalogues_in_the_package():
    assert sorted(p.name for p in LOCALE.iterdir() if p.is_dir()) == sorted(FOREIGN)


def test_the_template_holds_every_msgid_the_code_and_templates_mark():
    """`pybabel extract` was run after the last wording change (docs/languages.md)."""
    method_map = [("**.py", "python"), ("templates/**.j2", "jinja2")]
    marked = {m[2] if isinstance(m[2], str) else m[2][0]
              for m in extract_from_dir(str(SOURCE), method_map, keywords={
                  "_": None, "N_": None, "gettext": None, "ngettext": (1, 2)})}
    with open(LOCALE / "reportgen.pot", "rb") as f:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    assert marked == template


@pytest.mark.parametrize("tag", FOREIGN)
def test_every_msgid_is_translated_with_its_placeholders(tag):
    assert untranslated(tag) == ()
    catalogue = _catalogue(tag)
    for message in catalogue:
        if not message.id:
            continue
        ids = (message.id,) if isinstance(message.id, str) else message.id
        strings = (message.string,) if isinstance(message.string, str) else message.string
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) <= wanted, (tag, ids[0], text)
        assert set(PLACEHOLDER.findall(strings[-1])) == wanted, (tag, ids[0])


def test_a_missing_msgid_prints_in_english_and_is_reported(tmp_path):
    folder = tmp_path / "locale"
    shutil.copytree(LOCALE, folder)
    po = folder / "de" / "LC_MESSAGES" / "reportgen.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgstr "Zusammenfassung"', 'msgstr ""'), encoding="utf-8")
    assert untranslated("de", folder) == ("Executive summary",)
    asked = [("book.xlsx: Partnership", "de-AT"), ("book.xlsx: Partnership", ""),
             ("book.xlsx: Partnership", "fr"), ("book.xlsx: Partnership!B10", "de"),
             ("book.xlsx: Partnership", "de-AT")]
    assert untranslated_warnings(asked, folder) == [
        "book.xlsx: Partnership: warning: language de-AT: 1 fixed words have no German "
        "translation and print in English: 'Executive summary'",
        "book.xlsx: Partnership!B10: warning: language de: 1 fixed words have no German "
        "translation and print in English: 'Executive summary'"]
    shipped = [("book.xlsx: Partnership", tag) for tag in ("de", "fr", "ja")]
    assert untranslated_warnings(shipped) == []
    with speaking("de"):
        assert _("a sentence no catalogue has") == "a sentence no catalogue has"


def test_words_and_plurals_follow_the_language_in_force():
    assert words().sections.summary == "Executive summary"
    with speaking("de-AT"):
        assert words().sections.summary == "Zusammenfassung"
        assert ngettext("{n} day overdue", "{n} days overdue", 1).format(n=1) == "1 Tag überfällig"
    with speaking("fr"):  # French counts 0 as one
        assert ngettext("{n} day overdue", "{n} days overdue", 0).format(n=0) == (
            "0 jour de retard")
    with speaking("ja"):
        assert ngettext("{n} day overdue", "{n} days overdue", 2).format(n=2) == "2日超過"
    assert words().sections.summary == "Executive summary"


def test_language_tags():
    assert language_tag(" de ") == "de"
    assert language_tag("de_at") == "de-AT"
    assert language_tag("ja-JP") == "ja-JP"
    with pytest.raises(ValueError, match=r"'xx' is not a language reportgen ships; use one of "
                       r"en \(English\), de \(German\), fr \(French\), ja \(Japanese\)"):
        language_tag("xx")
    with pytest.raises(ValueError, match="is not a BCP 47 language tag"):
        language_tag("German!")


def test_the_setting_names_a_bad_language(tmp_path):
    config = tmp_path / "reportgen.toml"
    config.write_text('language = "tlh"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"language.*'tlh' is not a language reportgen ships"):
        load_settings(config, env={})
    config.write_text('language = "fr-CH"\n', encoding="utf-8")
    assert load_settings(config, env={}).language == "fr-CH"
    assert load_settings(config, env={"REPORTGEN_LANGUAGE": "ja"}).language == "ja"


def test_validate_locates_a_bad_language_key(tmp_path, capsys):
    sheets = example_sheets()
    sheets["Partnership"].append(["Language", "Klingon"])
    row = len(sheets["Partnership"])
    path = write(tmp_path / "book.xlsx", sheets)
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"book.xlsx: Partnership!B{row}: 'Klingon' is not a BCP 47 language tag" in out
    sheets["Partnership"][-1] = ["Language", "ja"]
    assert main(["validate", "--strict", str(write(tmp_path / "ja.xlsx", sheets))]) == 0


MILLIONS = Measure(1250000.5, decimals=1, thousands=True)
SHARE = Measure(0.062, decimals=1, percent=True)
MONEY = Measure(2_000_000, decimals=1, prefix="$", suffix="M", scale=2)
OCTOBER = dt.date(2025, 10, 14)


@pytest.mark.parametrize(("tag", "number", "date", "share", "gap", "money"), [
    ("en", "1,250,000.5", "14 Oct 2025", "6.2%", "+1.2 pp", "$2.0M"),
    ("de", "1.250.000,5", "14. Okt. 2025", "6,2\u00a0%", "+1,2 Pp.", "$2,0M"),
    ("fr", "1\u202f250\u202f000,5", "14 oct. 2025", "6,2\u00a0%", "+1,2 pts", "$2,0M"),
    ("ja", "1,250,000.5", "2025年10月14日", "6.2%", "+1.2ポイント", "$2.0M"),
])
def test_numbers_and_dates_by_locale(tag, number, date, share, gap, money):
    """The workbook's format decides the decimals and the literal `$` and `M`; the locale the
    digits, the separators, the percent sign's place and the date."""
    with speaking(tag):
        assert format_measure(MILLIONS) == number
        assert format_date(OCTOBER, "%-d %b %Y") == date
        assert format_measure(SHARE) == share
        points = variance(SHARE, Measure(0.05, decimals=0, percent=True), False)
        assert format_variance(points, _("{value} pp")) == gap
        assert format_measure(MONEY) == money
        assert format_percent(0.3) == ("30%" if tag in ("en", "ja") else "30\u00a0%")


def test_score_json_words_the_summary_in_the_packs_language(tmp_path, capsys):
    """`score --json` carries the headline and the attention reasons as the pack prints them."""
    sheets = example_sheets()
    sheets["Partnership"].append(["Language", "de"])
    path = write(tmp_path / "book.xlsx", sheets)
    assert main(["score", "--json", "--archive", f"sqlite:///{tmp_path / 'a.sqlite'}",
                 str(path)]) == 0
    out = capsys.readouterr().out
    assert "Der Gesamtzustand liegt bei 83 von 100 (Gelb)" in out
    assert "fällig am 30. Sept. 2025" in out
