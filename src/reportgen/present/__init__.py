"""Presentation: scored reviews (+ archived history) → the views every output is made from.

`view.build_view` makes the `PackView` that both packs and the HTML preview render, from the
section modules (`headline` and `summary`, `scorecard`, `risks`, `trend`, `agenda`,
`appendix`); `portfolio` makes the
portfolio summary's view; `document` the JSON of `score --json`; `terminal` and `history` the
tables printed by `score` and `history`. Text is cleaned and every number formatted here, once.
"""
