"""The static web site of the review archive: the archive in, `<outputs>/site/` out.

`generate.generate_site` reads the archive through `archive.catalogue`, turns its records into
page views (`views`, `pages`), renders them (`html`, with the templates in
`templates/site/`) and swaps the new site in whole (`publish`); `links` says where each page
lives and links only to files inside the outputs folder. Never imports `build`. See docs/site.md.
"""
