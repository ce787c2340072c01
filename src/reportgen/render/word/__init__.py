"""The Word pack: `pack` writes the pack's sections on the generic WordprocessingML building
blocks of `wordml` (reference document, styles, tables, header and footer)."""
