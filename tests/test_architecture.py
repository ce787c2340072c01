"""The code's shape, checked: no private name crosses a package, and no module grows past 500
lines. (Which stage may import which is checked by import-linter: `lint-imports`, run by
scripts/test with the contracts in pyproject.toml.)"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import reportgen

SOURCE = Path(reportgen.__file__).parent
MODULES = sorted(SOURCE.rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_of(module: str) -> str:
    """The stage a module belongs to: `reportgen.build` for `reportgen.build.pipeline`; a
    top-level module (`reportgen.config`) is its own."""
    return ".".join(module.split(".")[:2])


def imported_from(node: ast.ImportFrom, importer: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = importer.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def private_imports(text: str, importer: str, is_package: bool = False) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, ast.ImportFrom):
            continue
        source = imported_from(node, importer, is_package)
        if not source.startswith("reportgen") or package_of(source) == package_of(importer):
            continue
        found += [f"{importer} imports {source}.{alias.name}" for alias in node.names
                  if alias.name.startswith("_") and not alias.name.startswith("__")]
    return found


def test_the_walk_sees_the_whole_package():
    names = {module_name(p) for p in MODULES}
    assert {"reportgen.cli", "reportgen.build.pipeline", "reportgen.domain.scoring",
            "reportgen.intake.scanner", "reportgen.archive.repository"} <= names


def test_a_private_import_across_packages_is_found():
    text = ("from ..outputs.layout import _REVISION, atomic_write\n"
            "from .message import _within_the_package\n"
            "from reportgen.intake.cells import _kind\n")
    assert private_imports(text, "reportgen.delivery.send") == [
        "reportgen.delivery.send imports reportgen.outputs.layout._REVISION",
        "reportgen.delivery.send imports reportgen.intake.cells._kind",
    ]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_no_private_name_crosses_a_package(path: Path):
    text = path.read_text(encoding="utf-8")
    assert private_imports(text, module_name(path), path.name == "__init__.py") == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_no_module_is_over_500_lines(path: Path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 500
