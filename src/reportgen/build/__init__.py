"""The build: the orchestration that turns workbooks into packs and archive records.

`pipeline.build` reads top to bottom as the data flow; `renderer` sets up and runs the renderers
for one pack; `pool` spreads partnerships over worker processes; `records` makes the inputs
digest and the manifest; `summaries` writes the portfolio summaries; `ports` is the interface
the build uses to reach the archive.
"""
