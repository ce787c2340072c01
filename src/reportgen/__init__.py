"""reportgen: partnership KPI and risk workbooks in, board-ready QBR packs out."""

__version__ = "0.2.0"
