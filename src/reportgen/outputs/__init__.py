"""The outputs folder: where packs live on disk and how they get there.

`layout` knows the folder layout (`<out>/<partnership>/<YYYY-Qn>/r<N>/`), reads manifests and
writes a revision's files atomically. Shared by `build` (which writes), `delivery` (which reads
a pack to send) and the other readers of the folder. See docs/cli.md#output-folder-layout.
"""
