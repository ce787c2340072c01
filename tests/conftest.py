"""Shared test set-up. `factories` and `workbooks` are importable because pytest puts tests/ on
the path (`pythonpath` in pyproject.toml). The measurements reportgen keeps between runs
(`render.diskcache`) go to a folder of the test session's, never to the user's cache."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True, scope="session")
def _own_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
