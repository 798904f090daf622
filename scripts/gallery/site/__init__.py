"""The site: the page plan, the page renderers, safe text rendering, badges and charts, and the build.

`plan` lists every generated page and the navigation once; `pages/` render one kind of
page each (pure: data in, Markdown/HTML out); `build` writes the files that changed;
`serve` holds what the MkDocs hook keeps between rebuilds.
"""
