"""Shared test set-up. `factories` and `workbooks` are importable because pytest puts tests/ on
the path (`pythonpath` in pyproject.toml)."""
