"""Intake: the only code that opens .xlsx files. A workbook path in, `ReviewInput`s and every
located problem out.

    container (refuse hostile or unreadable files) ─▶ scanner (stream the wanted sheets' cells)
      ─▶ cells (typed readers: text, numbers, dates, choices, addresses) ─▶ validation (rows →
      domain objects, checked against the schema) ─▶ `Loaded`

`agenda` reads the Decisions and Actions sheets; `numbers` reads numbers as the workbook showed
them; `spreadsheet` holds the file format's own facts (column letters, built-in number formats,
serial dates, hidden rows and columns) and `xmltext` how its XML carries text; `partnership`
checks a partnership's facts against the limits later steps need (`schema` holds them). See
docs/workbook.md.
"""
