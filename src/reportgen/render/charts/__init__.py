"""The trend chart, drawn twice from one `Trend`: `svg` (vector, for the PDF and HTML) and `png`
(raster, for the Word pack)."""
