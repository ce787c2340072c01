"""The domain: what a partnership review is and the rules that score it.

Pure types and functions: workbook rows arrive here as `model` objects (from `intake`), `scoring`
turns them into a `ScoredReview` under the `rules` in force, and `history` holds what the archive
remembers of earlier quarters. Nothing in this package imports the rest of reportgen, does I/O or
reads a clock (enforced by the import contracts in pyproject.toml).
"""
