"""Measurements kept between runs (`render.diskcache`, Inter's widths in `render.fonts`): the
cached widths are exactly those read from the fonts; a damaged, cut-short or foreign file, or a
folder that cannot be written, means measuring again, never a failure; files appear whole."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from reportgen.render import diskcache, fonts


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    fonts._widths.cache_clear()
    yield tmp_path / "cache" / "reportgen"
    fonts._widths.cache_clear()


def measured_afresh() -> dict[int, dict[int, float]]:
    folder = fonts.files("reportgen") / "templates" / "fonts"
    return fonts._read_widths({w: (folder / n).read_bytes() for w, n in fonts._WEIGHTS.items()})


def test_the_cached_widths_are_those_read_from_the_fonts(cache: Path) -> None:
    first = fonts._widths()
    [stored] = list(cache.glob("inter-widths-*.json"))
    fonts._widths.cache_clear()
    assert fonts._widths() == first == measured_afresh()
    assert fonts.advance("Financial Performance (cont.)", 8.5, 600) > 0
    assert [p.name for p in cache.iterdir()] == [stored.name]  # no temporary file is left


@pytest.mark.parametrize("damage", [
    b"", b"{\"format\": ", b"\x00" * 100, b"[]", b'{"format": "reportgen inter widths 1"}',
    b'{"format": "reportgen inter widths 1", "codepoints": [65], '
    b'"widths": {"400": [0.5], "600": [0.5], "700": ["wide"]}}',
])
def test_a_damaged_file_is_measured_again_and_replaced(cache: Path, damage: bytes) -> None:
    expected = fonts._widths()
    [stored] = list(cache.glob("inter-widths-*.json"))
    stored.write_bytes(damage)
    fonts._widths.cache_clear()
    assert fonts._widths() == expected
    assert json.loads(stored.read_bytes())["format"] == "reportgen inter widths 1"


def test_a_cache_folder_that_cannot_be_written_is_not_needed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    fonts._widths.cache_clear()
    try:
        assert fonts._widths() == measured_afresh()
    finally:
        fonts._widths.cache_clear()
    diskcache.store("key", {"a": 1})
    assert diskcache.load("key") is None


def test_the_folder_follows_xdg_and_ignores_a_relative_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert diskcache.folder() == tmp_path / "reportgen"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")
    assert diskcache.folder() == Path.home() / ".cache" / "reportgen"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert diskcache.folder() == Path.home() / ".cache" / "reportgen"


def test_a_value_is_stored_whole_and_read_back(cache: Path) -> None:
    diskcache.store("numbers", {"widths": [0.1, 1 / 3, 2.0]})
    assert diskcache.load("numbers") == {"widths": [0.1, 1 / 3, 2.0]}
    assert diskcache.load("missing") is None
