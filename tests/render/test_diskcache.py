"""Work kept between runs (`render.diskcache`: Inter's widths in `render.fonts`, the compiled
templates in `render.html`): the cached widths are exactly those read from the fonts, and cached
templates give the same pack; a damaged, cut-short or foreign file, or a folder that cannot be
written, means measuring or compiling again, never a failure; files appear whole; a user's
sandboxed templates never run code compiled for the built-in environment."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from factories import GENERATED_AT, example_review
from reportgen.config import Settings
from reportgen.errors import RenderError
from reportgen.present.view import build_view
from reportgen.render import diskcache, fonts
from reportgen.render.html import render_html, render_template, template_environment


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


# --- the compiled templates (render.html.CompiledTemplates) ----------------------------------

def compiled(cache: Path) -> list[Path]:
    return sorted(cache.glob("jinja-*.cache"))


def test_compiled_templates_are_kept_and_give_the_same_pack(cache: Path) -> None:
    view = build_view(example_review(3), Settings(), GENERATED_AT)
    first = render_html(view, template_environment())
    kept = compiled(cache)
    assert kept  # the pack and its partials
    assert render_html(view, template_environment()) == first
    for path in kept:  # damaged files are compiled again, and the pack is the same
        path.write_bytes(path.read_bytes()[:40])
    assert render_html(view, template_environment()) == first
    assert render_html(view, template_environment(None)) == first


def test_a_users_sandbox_never_runs_code_compiled_elsewhere(cache: Path, tmp_path: Path) -> None:
    """The sandbox compiles its checks into the code (`*`, `~`…): it keeps no compiled
    templates, so none compiled by the plain environment can reach it."""
    folder = tmp_path / "templates"
    folder.mkdir()
    view = build_view(example_review(3), Settings(), GENERATED_AT)
    render_html(view, template_environment())  # the built-in templates, compiled and kept
    kept = compiled(cache)
    assert template_environment(folder).bytecode_cache is None
    (folder / "big.j2").write_text("{{ ('x' * 10000000) is defined }}", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(RenderError, match="too large"):
            render_template(template_environment(folder), "big.j2")
    assert render_html(view, template_environment(folder)) == render_html(
        view, template_environment())
    assert compiled(cache) == kept
